package org.packetlab.notebook.magic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.CellMagic;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/**
 * The {@code %pktlab} line magic and {@code %%pktlab} cell magic: dispatches the first word to
 * the {@link PktlabMagic} of that name.
 */
public final class PktlabMagics implements LineMagic<Object, BaseKernel>, CellMagic<Object, BaseKernel>, AutoCloseable {

    /** The magic's name: {@code %pktlab}, {@code %%pktlab}. */
    public static final String NAME = "pktlab";

    private final List<PktlabMagic> ordered = new CopyOnWriteArrayList<>();
    private final Map<String, PktlabMagic> byName = new ConcurrentHashMap<>();
    private final MagicContext context;
    private final boolean displaysValues;

    /**
     * @param displaysValues whether the magics show their values themselves, for kernels (JJava's)
     *     that drop the value of a line magic
     */
    private PktlabMagics(BaseKernel kernel, CancelHooks cancelHooks, boolean displaysValues) {
        this.context = new MagicContext(kernel, cancelHooks, () -> List.copyOf(ordered));
        this.displaysValues = displaysValues;
    }

    /**
     * The product's magics for {@code kernel}. Every sub-magic is listed here.
     *
     * @param displaysValues whether magics show their own values (kernels other than ours)
     */
    public static PktlabMagics standard(BaseKernel kernel, CancelHooks cancelHooks, boolean displaysValues) {
        PktlabMagics magics = new PktlabMagics(kernel, cancelHooks, displaysValues);
        magics.register(new HelpMagic());
        magics.register(new InitMagic());
        magics.register(new StatusMagic());
        magics.register(new PrivilegesMagic());
        magics.register(new SignMagic());
        magics.register(new LabMagic());
        magics.register(new ListenMagic());
        magics.register(new ProxyMagic());
        magics.register(new RunMagic());
        magics.register(new ResultsMagic());
        magics.register(new StopMagic());
        return magics;
    }

    /** Adds a sub-magic; its name must be new. */
    public PktlabMagics register(PktlabMagic magic) {
        if (byName.putIfAbsent(magic.name(), magic) != null) {
            throw new IllegalArgumentException("a %" + NAME + " magic named '" + magic.name() + "' is already registered");
        }
        ordered.add(magic);
        return this;
    }

    /** The sub-magics, in registration order. */
    public List<PktlabMagic> magics() {
        return List.copyOf(ordered);
    }

    /** What the magics share between cells. */
    public MagicContext context() {
        return context;
    }

    @Override
    public Object eval(BaseKernel kernel, List<String> args) throws Exception {
        return dispatch(args, null);
    }

    @Override
    public Object eval(BaseKernel kernel, List<String> args, String body) throws Exception {
        return dispatch(args, body);
    }

    /** Closes the state the magics kept (e.g. stops a running lab). */
    @Override
    public void close() {
        context.close();
    }

    private Object dispatch(List<String> args, String body) throws Exception {
        if (args.isEmpty()) {
            throw new MagicUsageException("%" + NAME + ": missing sub-magic", overview());
        }
        PktlabMagic magic = byName.get(args.get(0));
        if (magic == null) {
            throw new MagicUsageException("%" + NAME + ": unknown sub-magic '" + args.get(0) + "'", overview());
        }
        Object value;
        try {
            value = magic.run(context, List.copyOf(args.subList(1, args.size())), body);
        } catch (MagicUsageException e) {
            throw e.withUsage(usage(magic));
        }
        if (displaysValues && value != null) {
            context.display(value);
        }
        return value;
    }

    /** {@code usage: %pktlab NAME ARGS} of one sub-magic. */
    static String usage(PktlabMagic magic) {
        return "usage: %" + NAME + " " + (magic.name() + " " + magic.arguments()).strip();
    }

    private String overview() {
        List<String> names = new ArrayList<>();
        for (PktlabMagic m : ordered) {
            names.add(m.name());
        }
        return "usage: %" + NAME + " SUB-MAGIC [ARGS...] where SUB-MAGIC is one of: " + String.join(", ", names)
                + "\n(%" + NAME + " help says what each does)";
    }
}
