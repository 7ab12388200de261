package org.ews.run;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The one file a {@link RunLock} lives in, and the few operations it needs: create it only if absent (exclusively), read
 * it, replace it whole, delete it if it still holds what was read. On a local disk through {@code java.nio} (Hadoop's
 * local file system checks for the file and then creates it, two steps another process can slip between); on every
 * other store through Hadoop's {@link FileSystem}, with {@code create(path, overwrite = false)}: one atomic step on
 * HDFS and ABFS (If-None-Match), a check and a write on S3A with Hadoop 3.3, which {@link RunLock} makes up for by
 * reading the lock back.
 */
abstract class LockFile {
    /** The file's bytes and last modification time (null where the store gives none). */
    record Content(byte[] bytes, Instant modifiedAt) {}

    /** Object stores whose exclusive create is a check followed by a write. */
    private static final Set<String> CHECK_THEN_WRITE = Set.of("s3", "s3a", "s3n", "gs", "oss", "cos", "cosn", "obs");

    abstract String path();

    /** Creates the file holding {@code content}; false when it already exists. */
    abstract boolean createExclusive(byte[] content) throws IOException;

    abstract Optional<Content> read() throws IOException;

    /** Replaces the whole content (the heartbeat); a reader sees the old or the new content where the store allows. */
    abstract void replace(byte[] content) throws IOException;

    /** Deletes the file if it still holds {@code expected}; false when it is gone or holds something else. */
    abstract boolean deleteIfSame(byte[] expected) throws IOException;

    /** Whether two processes creating the file at once can both succeed (false) or only one (true). */
    abstract boolean exclusiveCreateIsAtomic();

    /** A short name for a lock's content: the claim of a takeover is named after what was judged. */
    static String digest(byte[] bytes) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
            return java.util.HexFormat.of().formatHex(d, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static LockFile at(String path, Configuration hadoop) {
        URI uri = URI.create(path);
        if (uri.getScheme() == null || uri.getScheme().equalsIgnoreCase("file")) {
            return new Local(Path.of(uri.getScheme() == null ? URI.create("file://" + path) : uri), path);
        }
        return new Hadoop(new org.apache.hadoop.fs.Path(uri), hadoop, path);
    }

    /** A local disk: the lock appears whole and only once (a hard link of a written file, which fails if it exists). */
    static final class Local extends LockFile {
        private final Path file;
        private final String text;

        Local(Path file, String text) {
            this.file = file;
            this.text = text;
        }

        @Override
        String path() {
            return text;
        }

        @Override
        boolean createExclusive(byte[] content) throws IOException {
            Files.createDirectories(file.getParent());
            Path tmp = temp(content);
            try {
                Files.createLink(file, tmp);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                // no hard links on this mount (SMB, some FUSE and bind mounts say "Operation not permitted"): an exclusive
                // create, briefly empty
                try {
                    Files.write(file, content, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                    return true;
                } catch (java.nio.file.FileAlreadyExistsException exists) {
                    return false;
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        private Path temp(byte[] content) throws IOException {
            Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
            Files.write(tmp, content);
            return tmp;
        }

        @Override
        Optional<Content> read() throws IOException {
            try {
                byte[] bytes = Files.readAllBytes(file);
                return Optional.of(new Content(bytes, Files.getLastModifiedTime(file).toInstant()));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        }

        @Override
        void replace(byte[] content) throws IOException {
            Path tmp = temp(content);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        /**
         * Two runs judging the same dead lock must not both delete it: the second would delete the lock the first has just
         * created. So the lock is first claimed: a hard link named after the judged bytes, which only one process can
         * create; the claimant checks that the link holds what it judged (the lock did not change before the claim) and is
         * still the lock file, then deletes the lock. A process that judged the lock before and claims after it is gone
         * finds no file or another run's lock, and backs off.
         */
        @Override
        boolean deleteIfSame(byte[] expected) throws IOException {
            Path claim = file.resolveSibling(file.getFileName() + ".taken-" + digest(expected));
            try {
                Files.createLink(claim, file);
            } catch (java.nio.file.FileAlreadyExistsException | NoSuchFileException e) {
                return false; // another run is taking it over, or it is gone
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                return deleteIfStillSame(expected); // no hard links on this mount: the check and the delete, as a fallback
            }
            try {
                if (!Arrays.equals(Files.readAllBytes(claim), expected) || !Files.isSameFile(claim, file)) {
                    return false;
                }
                return Files.deleteIfExists(file);
            } catch (NoSuchFileException e) {
                return false;
            } finally {
                Files.deleteIfExists(claim);
            }
        }

        private boolean deleteIfStillSame(byte[] expected) throws IOException {
            Optional<Content> now = read();
            if (now.isEmpty() || !Arrays.equals(now.get().bytes(), expected)) {
                return false;
            }
            return Files.deleteIfExists(file);
        }

        @Override
        boolean exclusiveCreateIsAtomic() {
            return true;
        }
    }

    /** Any other store, through Hadoop's FileSystem. */
    static final class Hadoop extends LockFile {
        private final org.apache.hadoop.fs.Path file;
        private final Configuration conf;
        private final String text;

        Hadoop(org.apache.hadoop.fs.Path file, Configuration conf, String text) {
            this.file = file;
            this.conf = conf;
            this.text = text;
        }

        private FileSystem fs() throws IOException {
            return file.getFileSystem(conf);
        }

        @Override
        String path() {
            return text;
        }

        @Override
        boolean createExclusive(byte[] content) throws IOException {
            FileSystem fs = fs();
            fs.mkdirs(file.getParent());
            try (FSDataOutputStream out = fs.create(file, false)) {
                out.write(content);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (IOException e) {
                // Some stores say "exists" in other words (HDFS through RemoteException): judge by the file.
                if (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("already exists") && fs.exists(file)) {
                    return false;
                }
                throw e;
            }
        }

        @Override
        Optional<Content> read() throws IOException {
            FileSystem fs = fs();
            try {
                Instant modified = Instant.ofEpochMilli(fs.getFileStatus(file).getModificationTime());
                try (FSDataInputStream in = fs.open(file)) {
                    return Optional.of(new Content(in.readAllBytes(), modified.toEpochMilli() > 0 ? modified : null));
                }
            } catch (FileNotFoundException e) {
                return Optional.empty();
            }
        }

        @Override
        void replace(byte[] content) throws IOException {
            try (FSDataOutputStream out = fs().create(file, true)) {
                out.write(content);
            }
        }

        /**
         * The lock is claimed by renaming it to a name derived from the judged bytes (a rename that fails when the target
         * exists or the source is gone: HDFS, ABFS), so of two runs judging the same dead lock only one deletes it. What
         * was moved is checked; a lock that changed before the claim is put back.
         */
        @Override
        boolean deleteIfSame(byte[] expected) throws IOException {
            FileSystem fs = fs();
            org.apache.hadoop.fs.Path claim = new org.apache.hadoop.fs.Path(file.getParent(), file.getName() + ".taken-" + digest(expected));
            if (!fs.rename(file, claim)) {
                return false;
            }
            byte[] moved;
            try (FSDataInputStream in = fs.open(claim)) {
                moved = in.readAllBytes();
            }
            if (!Arrays.equals(moved, expected)) {
                fs.rename(claim, file); // not the lock we judged: back where it was, unless a new one is there already
                fs.delete(claim, false);
                return false;
            }
            return fs.delete(claim, false);
        }

        @Override
        boolean exclusiveCreateIsAtomic() {
            return !CHECK_THEN_WRITE.contains(file.toUri().getScheme().toLowerCase(Locale.ROOT));
        }
    }
}
