package org.packetlab.portal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Decodes the upload form of {@code POST /sign} ({@code multipart/form-data}, or
 * {@code application/x-www-form-urlencoded} for pasted text) into a {@link SignForm}: the CSR from
 * the file field {@value #CSR_FILE} or the text field {@value #CSR_TEXT} (exactly one of them), and
 * the invitation code from {@value #CODE}. Everything stays in memory (the aggregator has bounded
 * the body); other fields are ignored, repeated ones refused.
 */
final class SignFormDecoder extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String CSR_FILE = "csr_file";
    static final String CSR_TEXT = "csr_text";
    static final String CODE = "code";
    private static final int MAX_FIELDS = 16;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "").toLowerCase(java.util.Locale.ROOT);
        if (!type.startsWith(HttpHeaderValues.MULTIPART_FORM_DATA.toString())
                && !type.startsWith(HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED.toString())) {
            ctx.writeAndFlush(new PortalReply.Refused(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "Not a form",
                    "Send the request with the upload form (multipart/form-data)."));
            return;
        }
        if (type.startsWith(HttpHeaderValues.MULTIPART_FORM_DATA.toString()) && !HttpPostRequestDecoder.isMultipart(request)) {
            ctx.writeAndFlush(PortalReply.Refused.badRequest("Form not readable",
                    "The upload could not be read as a form (multipart/form-data without a boundary)."));
            return;
        }
        HttpPostRequestDecoder decoder;
        try {
            decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), request, StandardCharsets.UTF_8,
                    MAX_FIELDS, PortalAggregator.MAX_REQUEST_BYTES);
        } catch (RuntimeException e) {
            ctx.writeAndFlush(unreadable(e));
            return;
        }
        try {
            ctx.fireChannelRead(read(decoder, ((InetSocketAddress) ctx.channel().remoteAddress())));
        } catch (FormException e) {
            ctx.writeAndFlush(PortalReply.Refused.badRequest(e.title, e.getMessage()));
        } catch (IOException | RuntimeException e) {
            ctx.writeAndFlush(unreadable(e));
        } finally {
            decoder.destroy();
        }
    }

    private static PortalReply unreadable(Exception e) {
        return PortalReply.Refused.badRequest("Form not readable", "The upload could not be read as a form ("
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ").");
    }

    private static SignForm read(HttpPostRequestDecoder decoder, InetSocketAddress peer) throws IOException, FormException {
        byte[] file = null;
        String text = null;
        String code = null;
        Set<String> seen = new HashSet<>();
        for (InterfaceHttpData d : decoder.getBodyHttpDatas()) {
            String name = d.getName();
            if (!name.equals(CSR_FILE) && !name.equals(CSR_TEXT) && !name.equals(CODE)) {
                continue;
            }
            if (!seen.add(name)) {
                throw new FormException("Repeated field", "The form field \"" + name + "\" appears more than once.");
            }
            switch (d) {
                case FileUpload f -> file = f.get();
                case Attribute a when name.equals(CSR_FILE) -> file = a.get();
                case Attribute a when name.equals(CSR_TEXT) -> text = a.getValue();
                case Attribute a -> code = a.getValue();
                default -> throw new FormException("Unexpected field", "The form field \"" + name + "\" is of an unexpected kind.");
            }
        }
        boolean hasFile = file != null && file.length > 0;
        boolean hasText = text != null && !text.isBlank();
        if (hasFile && hasText) {
            throw new FormException("Two requests", "Choose a file or paste the request, not both.");
        }
        if (!hasFile && !hasText) {
            throw new FormException("No request", "Choose your certificate request file (.csr) or paste its text.");
        }
        return new SignForm(hasFile ? file : text.getBytes(StandardCharsets.UTF_8), code, peer.getAddress());
    }

    /** A form that decoded but is not a usable request. */
    private static final class FormException extends Exception {
        private final String title;

        FormException(String title, String message) {
            super(message);
            this.title = title;
        }
    }
}
