package org.packetlab.ppks;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Atomic file writes; secrets are created owner-only from the first byte (no chmod after the fact). */
final class SecureFiles {
    private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");

    private SecureFiles() {}

    /**
     * Writes {@code data} to a temporary file next to {@code target} and moves it into place, so
     * readers see the old file or the whole new one.
     *
     * @param replace whether an existing {@code target} is replaced; if not, an existing target
     *                fails with {@link FileAlreadyExistsException} (checked atomically by a hard link)
     */
    static void writeAtomically(Path target, byte[] data, boolean secret, boolean replace) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = secret && isPosix(dir)
                ? Files.createTempFile(dir, "." + target.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_RW))
                : Files.createTempFile(dir, "." + target.getFileName(), ".tmp", new FileAttribute<?>[0]);
        try {
            Files.write(tmp, data);
            if (!secret && isPosix(dir)) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            if (!replace) {
                linkOrMove(tmp, target);
            } else {
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void linkOrMove(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (UnsupportedOperationException e) {
            // file systems without hard links: a plain move still refuses an existing target
            Files.move(tmp, target);
        }
    }

    static boolean isPosix(Path dir) {
        return Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class) != null;
    }
}
