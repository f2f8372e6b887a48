package org.packetlab.portal;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.packetlab.ppks.Cert;

/** What the portal answers, before rendering: the handlers decide the reply, {@link PortalReplyEncoder} turns it into HTTP. */
sealed interface PortalReply {

    /** The upload form; {@code baseUrl} is this portal's address as the browser called it (for the command-line hint). */
    record Form(String baseUrl) implements PortalReply {
    }

    /** A certificate just issued, with how to install it. */
    record Issued(Cert cert) implements PortalReply {
    }

    /** A file to download. */
    record Download(String fileName, String contentType, byte[] body) implements PortalReply {
    }

    /** A refused request: the status, a short title and what to do about it. Nothing was signed. */
    record Refused(HttpResponseStatus status, String title, String message) implements PortalReply {
        static Refused badRequest(String title, String message) {
            return new Refused(HttpResponseStatus.BAD_REQUEST, title, message);
        }

        static Refused forbidden(String message) {
            return new Refused(HttpResponseStatus.FORBIDDEN, "Not allowed by the operator's policy", message);
        }
    }

    /** A known page asked for with the wrong method. */
    record MethodNotAllowed(String method, String path, String allow) implements PortalReply {
    }

    /** Too many signing requests: try again after {@code retryAfterSeconds}. */
    record TooManyRequests(long retryAfterSeconds) implements PortalReply {
    }
}
