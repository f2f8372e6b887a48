package org.packetlab.portal;

import static org.packetlab.results.Html.escape;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.Ed25519PublicKey;

/**
 * The portal's HTML pages: plain HTML5 and inline CSS, no scripts and no external resources, one
 * column that fits a phone. Every piece of text that comes from a request or a certificate goes
 * through {@link Html#escape}.
 */
final class PortalPages {
    /** Where {@code pktlab init} leaves the experimenter's request. */
    static final String INIT_CSR = "~/.pktlab/csrs/exppriv_exper.csr";
    static final String OPERATOR_KEY_FILE = "operator.pub";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private static final String STYLE = """
            :root{color-scheme:light dark;--fg:#1b1f24;--bg:#fbfbf8;--muted:#57606a;--line:#d0d7de;--accent:#0b5cad;\
            --ok-bg:#e7f5ea;--ok:#1a6b32;--err-bg:#fdecea;--err:#a4161a;--code:#f0f1ee}
            @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#111418;--muted:#9aa4ae;--line:#3a424b;\
            --accent:#6cb6ff;--ok-bg:#12301c;--ok:#7ee2a0;--err-bg:#3b1214;--err:#ff9b9b;--code:#1d2228}}
            *{box-sizing:border-box}
            body{margin:0;font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
            header,main,footer{max-width:44rem;margin:0 auto;padding:0 1rem}
            header{padding-top:1.5rem}
            .kicker{margin:0;color:var(--muted);font-size:.85rem;letter-spacing:.08em;text-transform:uppercase}
            h1{margin:.2rem 0 1rem;font-size:1.7rem;line-height:1.2}
            h2{margin:2rem 0 .6rem;font-size:1.2rem}
            a{color:var(--accent)}
            a:focus,button:focus,input:focus,textarea:focus{outline:3px solid var(--accent);outline-offset:2px}
            code,pre,textarea{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem}
            code{overflow-wrap:anywhere}
            pre{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:.75rem;overflow-x:auto;white-space:pre-wrap}
            pre code span{white-space:nowrap}
            label{display:block;font-weight:600;margin:1rem 0 .3rem}
            .hint{margin:.1rem 0 .4rem;color:var(--muted);font-size:.9rem}
            input[type=file],input[type=text],textarea{width:100%;padding:.5rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
            textarea{min-height:8rem}
            button,.button{display:inline-block;margin-top:1.2rem;padding:.7rem 1.2rem;border:0;border-radius:6px;\
            background:var(--accent);color:#fff;font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
            @media (prefers-color-scheme:dark){button,.button{color:#0b1117}}
            .downloads a{margin-right:1rem}
            dl{display:grid;grid-template-columns:minmax(7rem,max-content) 1fr;gap:.35rem 1rem;margin:0}
            dt{font-weight:600;color:var(--muted)}
            dd{margin:0;overflow-wrap:anywhere}
            @media (max-width:30rem){dl{grid-template-columns:1fr}dd{margin-bottom:.4rem}}
            .status{padding:.8rem 1rem;border-radius:6px;margin:0 0 1rem}
            .ok{background:var(--ok-bg);color:var(--ok)}
            .error{background:var(--err-bg);color:var(--err)}
            footer{margin-top:2.5rem;padding-bottom:2rem;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);padding-top:.8rem}
            """;

    private final PortalPolicy policy;
    private final Ed25519PublicKey operatorKey;

    PortalPages(PortalPolicy policy, Ed25519PublicKey operatorKey) {
        this.policy = policy;
        this.operatorKey = operatorKey;
    }

    /** The upload form with what the policy grants. */
    String form(String baseUrl) {
        StringBuilder b = new StringBuilder();
        b.append("<p>This page signs an <strong>experiment privilege</strong> for your experimenter key: a certificate from")
                .append(" this endpoint operator that lets your experiments run on its endpoints.</p>\n");
        b.append("<section aria-labelledby=\"request\">\n<h2 id=\"request\">Request a privilege</h2>\n")
                .append("<form method=\"post\" action=\"sign\" enctype=\"multipart/form-data\">\n")
                .append("<label for=\"csr_file\">Certificate request file</label>\n")
                .append("<p class=\"hint\" id=\"csr_file_hint\"><code>pktlab init</code> made one for you: <code>")
                .append(INIT_CSR).append("</code></p>\n")
                .append("<input type=\"file\" id=\"csr_file\" name=\"csr_file\" accept=\".csr,.pem,.req,.der\" aria-describedby=\"csr_file_hint\">\n")
                .append("<label for=\"csr_text\">or paste it</label>\n")
                .append("<textarea id=\"csr_text\" name=\"csr_text\" rows=\"8\" spellcheck=\"false\" autocapitalize=\"off\"")
                .append(" placeholder=\"-----BEGIN CERTIFICATE REQUEST-----\"></textarea>\n");
        if (policy.requiresInvitationCode()) {
            b.append("<label for=\"code\">Invitation code</label>\n")
                    .append("<p class=\"hint\" id=\"code_hint\">The operator gave it to you with the address of this page.</p>\n")
                    .append("<input type=\"text\" id=\"code\" name=\"code\" required autocomplete=\"off\" autocapitalize=\"off\"")
                    .append(" spellcheck=\"false\" aria-describedby=\"code_hint\">\n");
        }
        b.append("<button type=\"submit\">Request privilege</button>\n</form>\n</section>\n");

        b.append("<section aria-labelledby=\"grants\">\n<h2 id=\"grants\">What this portal grants</h2>\n<dl>\n");
        row(b, "Type", PortalPolicy.join(policy.types())
                + (policy.delTypes().isEmpty() ? "" : " (delpriv may delegate " + PortalPolicy.join(policy.delTypes()) + ")"));
        row(b, "Validity", policy.validUntil().map(u -> "until " + TIME.format(u))
                .orElseGet(() -> Durations.describe(policy.validFor().orElseThrow()) + " from issue"));
        row(b, "Limits", policy.limits().isEmpty() ? "none" : limitsText(policy.limits()));
        policy.description().ifPresent(d -> row(b, "Description", d));
        policy.pathLen().ifPresent(p -> row(b, "Path length", "at most " + p));
        row(b, "Who may ask", (policy.allowedKeyIds().isEmpty() ? "any key" : policy.allowedKeyIds().size() + " listed key(s)")
                + (policy.requiresInvitationCode() ? ", with the invitation code" : ""));
        b.append("</dl>\n</section>\n");

        b.append("<section aria-labelledby=\"operator\">\n<h2 id=\"operator\">The operator's public key</h2>\n")
                .append("<p>Your manager needs it to trust this operator's endpoints: <a href=\"").append(OPERATOR_KEY_FILE)
                .append("\" download=\"").append(OPERATOR_KEY_FILE).append("\" id=\"operator-key-link\">download ")
                .append(OPERATOR_KEY_FILE).append("</a> (key id <code>").append(operatorKey.keyId().hex()).append("</code>).</p>\n")
                .append("</section>\n");

        b.append("<section aria-labelledby=\"cli\">\n<h2 id=\"cli\">Or in one step</h2>\n")
                .append("<p>From a shell, request and install the privilege together:</p>\n<pre><code>")
                .append(command(requestCommand(baseUrl))).append("</code></pre>\n</section>\n");
        return page("Experiment privilege portal", b.toString());
    }

    /** The certificate just issued: its details, downloads, and the commands that install it. */
    String issued(Cert cert) {
        String serial = cert.serial().toString(16);
        String file = serial + ".cert";
        StringBuilder b = new StringBuilder();
        b.append("<p class=\"status ok\" role=\"status\">The operator's key signed a <strong>").append(escape(cert.type().token()))
                .append("</strong> certificate for your key.</p>\n");
        b.append("<dl id=\"certificate\">\n");
        row(b, "Type", cert.type().token() + (cert.delTypes().isEmpty() ? "" : " (delegates " + PortalPolicy.join(cert.delTypes()) + ")"));
        row(b, "Serial", serial);
        row(b, "Subject key id", cert.subjectKeyId().hex());
        row(b, "Signed by", cert.authorityKeyId().hex());
        row(b, "Valid from", TIME.format(cert.notBefore()));
        row(b, "Valid until", TIME.format(cert.notAfter()));
        row(b, "Limits", cert.limits().isEmpty() ? "none" : limitsText(PortalPages.pairs(cert)));
        cert.description().ifPresent(d -> row(b, "Description", d));
        cert.pathLen().ifPresent(p -> row(b, "Path length", Integer.toString(p)));
        b.append("</dl>\n");
        b.append("<p class=\"downloads\"><a class=\"button\" id=\"certificate-link\" href=\"certs/").append(escape(file))
                .append("\" download=\"").append(escape(file)).append("\">Download ").append(escape(file)).append("</a>")
                .append(" <a id=\"operator-key-link\" href=\"").append(OPERATOR_KEY_FILE).append("\" download=\"")
                .append(OPERATOR_KEY_FILE).append("\">Download ").append(OPERATOR_KEY_FILE).append("</a></p>\n");
        String add = installArguments(file);
        b.append("<h2>Install it</h2>\n<p>Save both files in one directory and run there:</p>\n<pre><code id=\"install-command\">")
                .append(command("pktlab " + add)).append("</code></pre>\n")
                .append("<p>or, in a PacketLab notebook:</p>\n<pre><code id=\"install-magic\">").append(command("%pktlab " + add))
                .append("</code></pre>\n")
                .append("<p>Your manager then offers this privilege to the operator's endpoints.</p>\n");
        b.append("<p><a href=\"./\">Request another privilege</a></p>\n");
        return page("Privilege granted", b.toString());
    }

    /** A refusal: what went wrong and that nothing was signed. */
    String refused(int status, String title, String message, boolean fromForm) {
        String body = "<div class=\"status error\" role=\"alert\"><p><strong>" + escape(title) + "</strong></p>\n<p>"
                + escape(message) + "</p></div>\n"
                + (fromForm ? "<p>Nothing was signed.</p>\n" : "")
                + "<p><a href=\"" + (fromForm ? "./" : "/") + "\">Back to the request form</a></p>\n";
        return page(status + " " + title, body);
    }

    String policyName() {
        return policy.name();
    }

    /** The arguments of {@code pktlab privileges add} for a downloaded certificate file. */
    String installArguments(String certFile) {
        return "privileges add --name " + policy.name() + " --cert " + certFile + " --operator-key " + OPERATOR_KEY_FILE;
    }

    private String requestCommand(String baseUrl) {
        return "pktlab privileges request " + baseUrl + " --name " + policy.name()
                + (policy.requiresInvitationCode() ? " --code CODE" : "");
    }

    /** A command line that wraps only between its words, so no argument is split across lines. */
    private static String command(String line) {
        StringBuilder sb = new StringBuilder();
        for (String word : line.split(" ")) {
            sb.append(sb.isEmpty() ? "" : " ").append("<span>").append(escape(word)).append("</span>");
        }
        return sb.toString();
    }

    private static Map<String, String> pairs(Cert cert) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        cert.limits().pairs().pairs().forEach(p -> m.put(p.name(), p.value()));
        return m;
    }

    /** One {@code name=value} per line, as written in the certificate; the run-time limit also in words. */
    private static String limitsText(Map<String, String> limits) {
        StringBuilder sb = new StringBuilder();
        limits.forEach((k, v) -> {
            sb.append(sb.isEmpty() ? "" : "\n").append(k).append('=').append(v);
            if (k.equals(PolicyLimits.MAX_EXP_PERIOD) && v.matches("[1-9]\\d{9,18}") && Long.parseLong(v) % 1_000_000_000L == 0) {
                sb.append(" (").append(Durations.describe(java.time.Duration.ofNanos(Long.parseLong(v)))).append(')');
            }
        });
        return sb.toString();
    }

    private static void row(StringBuilder b, String term, String value) {
        b.append("<dt>").append(escape(term)).append("</dt><dd>")
                .append(escape(value).replace("\n", "<br>")).append("</dd>\n");
    }

    private String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + escape(title) + " \u2013 PacketLab</title>\n"
                + "<link rel=\"icon\" href=\"data:,\">\n"
                + "<style>\n" + STYLE + "</style>\n</head>\n<body>\n"
                + "<header><p class=\"kicker\">PacketLab \u00b7 " + escape(policy.name()) + "</p><h1>" + escape(title) + "</h1></header>\n"
                + "<main>\n" + body + "</main>\n"
                + "<footer>PacketLab privilege portal \u00b7 endpoint operator key <code>"
                + operatorKey.keyId().hex().substring(0, 16) + "\u2026</code></footer>\n"
                + "</body>\n</html>\n";
    }
}
