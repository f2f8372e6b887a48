package org.packetlab.notebook.magic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.notebook.PktlabKernel;

/** Dispatching {@code %pktlab NAME ARGS} to sub-magics registered by name. */
@Timeout(30)
class PktlabMagicsTest {

    private static PktlabKernel kernel;
    private final CancelHooks hooks = new CancelHooks();
    private PktlabMagics magics;

    @BeforeAll
    static void buildKernel() {
        kernel = PktlabKernel.builder().build();
    }

    /** A sub-magic as later ones are written: checks its arguments, returns a value. */
    private static final class RepeatMagic implements PktlabMagic {
        @Override
        public String name() {
            return "repeat";
        }

        @Override
        public String summary() {
            return "repeat WORD N times";
        }

        @Override
        public String arguments() {
            return "WORD N";
        }

        @Override
        public Object run(MagicContext context, List<String> args, String cellBody) {
            if (args.size() != 2) {
                throw new MagicUsageException("repeat: expected WORD N");
            }
            int n;
            try {
                n = Integer.parseInt(args.get(1));
            } catch (NumberFormatException e) {
                throw new MagicUsageException("repeat: N must be a number, not '" + args.get(1) + "'");
            }
            return args.get(0).repeat(n) + (cellBody == null ? "" : "|" + cellBody);
        }
    }

    @BeforeEach
    void registerMagics() {
        magics = PktlabMagics.standard(kernel, hooks, false).register(new RepeatMagic());
    }

    @Test
    void lineAndCellFormsReachTheSubMagicByName() throws Exception {
        assertThat(magics.eval(null, List.of("repeat", "ab", "3"))).isEqualTo("ababab");
        assertThat(magics.eval(null, List.of("repeat", "x", "1"), "body")).isEqualTo("x|body");
    }

    @Test
    void helpListsEverySubMagicWithOneLine() throws Exception {
        MagicHelp help = (MagicHelp) magics.eval(null, List.of("help"));
        List<String> names = new ArrayList<>(magics.magics().stream().map(PktlabMagic::name).toList());
        names.add("mlet");
        assertThat(help.entries()).extracting(MagicHelp.Entry::name).containsExactlyElementsOf(names);
        assertThat(help.entries()).extracting(MagicHelp.Entry::syntax)
                .startsWith("%pktlab help [NAME]").endsWith("%pktlab repeat WORD N", "%%mlet NAME [--run]");
        assertThat(help.toString().lines().toList()).hasSize(magics.magics().size() + 1)
                .anySatisfy(l -> assertThat(l).matches("%pktlab help \\[NAME\\] +list the %pktlab magics and %%mlet with one line"
                        + " each \\(or just NAME\\)"))
                .anySatisfy(l -> assertThat(l).matches("%pktlab repeat WORD N +repeat WORD N times"));
        MagicHelp one = (MagicHelp) magics.eval(null, List.of("help", "repeat"));
        assertThat(one.entries()).extracting(MagicHelp.Entry::name).containsExactly("repeat");
        MagicHelp cell = (MagicHelp) magics.eval(null, List.of("help", "mlet"));
        assertThat(cell.entries()).extracting(MagicHelp.Entry::syntax).containsExactly("%%mlet NAME [--run]");
    }

    @Test
    void badArgumentsCarryTheSubMagicsUsage() {
        MagicUsageException e = catchThrowableOfType(MagicUsageException.class,
                () -> magics.eval(null, List.of("repeat", "ab", "many")));
        assertThat(e).hasMessage("repeat: N must be a number, not 'many'");
        assertThat(e.usage()).isEqualTo("usage: %pktlab repeat WORD N");
        assertThat(e.getStackTrace()).isEmpty();
    }

    @Test
    void unknownOrMissingSubMagicListsTheKnownOnes() {
        MagicUsageException unknown = catchThrowableOfType(MagicUsageException.class,
                () -> magics.eval(null, List.of("nosuch")));
        assertThat(unknown).hasMessage("%pktlab: unknown sub-magic 'nosuch'");
        assertThat(unknown.usage()).startsWith("usage: %pktlab SUB-MAGIC [ARGS...] where SUB-MAGIC is one of: help, ")
                .contains(", lab, ").contains(", repeat\n");
        assertThat(catchThrowableOfType(MagicUsageException.class, () -> magics.eval(null, List.of())))
                .hasMessage("%pktlab: missing sub-magic");
    }

    @Test
    void namesAreUnique() {
        assertThatThrownBy(() -> magics.register(new RepeatMagic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a %pktlab magic named 'repeat' is already registered");
    }

    @Test
    void stateLivesUntilTheMagicsCloseAndIsThenClosed() {
        AtomicInteger created = new AtomicInteger();
        AtomicBoolean closed = new AtomicBoolean();
        MagicContext context = magics.context();
        AutoCloseable first = context.state(AutoCloseable.class, () -> {
            created.incrementAndGet();
            return () -> closed.set(true);
        });
        assertThat(context.state(AutoCloseable.class, () -> () -> { })).isSameAs(first);
        assertThat(created).hasValue(1);
        magics.close();
        assertThat(closed).isTrue();
        assertThat(context.findState(AutoCloseable.class)).isEmpty();
    }

    @Test
    void interruptHooksRunWhileRegisteredAndOneFailureDoesNotStopTheOthers() {
        AtomicInteger runs = new AtomicInteger();
        MagicContext context = magics.context();
        try (CancelHooks.Registration failing = context.onInterrupt(() -> {
                    throw new IllegalStateException("cannot cancel");
                });
                CancelHooks.Registration counting = context.onInterrupt(runs::incrementAndGet)) {
            hooks.cancelAll();
            assertThat(runs).hasValue(1);
        }
        hooks.cancelAll();
        assertThat(runs).hasValue(1);
        assertThat(hooks.size()).isZero();
    }
}
