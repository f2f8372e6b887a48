package org.packetlab.mlet;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Objects;

/** Finds and makes an mlet from its name and command-line words ({@link Mlet#load}). */
final class MletLoader {
    private MletLoader() {}

    /** Where the example mlets live; only their name is known here (product code never imports them). */
    static final String EXAMPLES_PACKAGE = "org.packetlab.examples";

    static Mlet<?> load(String name, String... args) {
        Objects.requireNonNull(name, "name");
        String[] words = args.clone();
        Class<?> type = find(name);
        try {
            Method factory = factory(type);
            if (factory != null) {
                return (Mlet<?>) Objects.requireNonNull(factory.invoke(null, (Object) words), name + ".fromArgs returned null");
            }
            if (!Mlet.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(type.getName() + " is not an mlet: it neither implements Mlet nor has a static fromArgs(String...)");
            }
            Constructor<?> withWords = constructor(type, String[].class);
            if (withWords != null) {
                return (Mlet<?>) withWords.newInstance((Object) words);
            }
            Constructor<?> plain = constructor(type);
            if (plain != null && words.length == 0) {
                return (Mlet<?>) plain.newInstance();
            }
            throw new IllegalArgumentException(type.getName() + " has no public (String[]) constructor"
                    + (plain == null ? " nor a no-argument one" : " and takes no words"));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException usage) {
                throw new IllegalArgumentException(name + ": " + usage.getMessage(), usage);
            }
            throw new IllegalArgumentException(name + " could not be made from " + String.join(" ", words) + ": " + e.getCause(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(name + " could not be made: " + e, e);
        }
    }

    private static Class<?> find(String name) {
        String className = name;
        if (className.endsWith(".java")) {
            String file = className.substring(Math.max(className.lastIndexOf('/'), className.lastIndexOf('\\')) + 1);
            className = file.substring(0, file.length() - ".java".length());
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (String candidate : className.contains(".") ? new String[] {className}
                : new String[] {className, EXAMPLES_PACKAGE + "." + className}) {
            try {
                return Class.forName(candidate, true, loader != null ? loader : MletLoader.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                // try the next candidate; the message below names them all
            }
        }
        throw new IllegalArgumentException("no mlet class " + className
                + (className.contains(".") ? "" : " (nor " + EXAMPLES_PACKAGE + "." + className + ")"));
    }

    private static Method factory(Class<?> type) {
        try {
            Method m = type.getMethod("fromArgs", String[].class);
            return Modifier.isStatic(m.getModifiers()) && Mlet.class.isAssignableFrom(m.getReturnType()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Constructor<?> constructor(Class<?> type, Class<?>... parameters) {
        try {
            return type.getConstructor(parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
