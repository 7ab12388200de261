package org.ews.testing;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.AccessControlException;
import org.apache.hadoop.util.Progressable;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * A local file system under the scheme {@code faulty://} that fails where told, for tests of what an operator sees when
 * storage fails (we run as root, so chmod denies nothing). Paths are the local ones: {@code faulty:///tmp/x} is
 * {@code /tmp/x}. Settings (Hadoop configuration, read at every call):
 * <ul>
 *   <li>{@value #DENY}: comma-separated absolute path prefixes; opening or listing under them throws Hadoop's
 *   {@link AccessControlException}, as HDFS, S3A and ABFS do for a permission error;</li>
 *   <li>{@value #FULL}: prefixes under which writing a byte throws {@code IOException("No space left on device")}, as a
 *   full local disk does (the exception names no path, as the kernel's does not).</li>
 * </ul>
 * Register with {@link #settings}: {@code fs.faulty.impl} (FileSystem), {@code fs.AbstractFileSystem.faulty.impl}
 * (FileContext, which Delta's default log store writes commits through) and the cache switched off, so that changed
 * settings take effect.
 */
public class FaultyFileSystem extends RawLocalFileSystem {
    public static final String SCHEME = "faulty";
    public static final String DENY = "fs.faulty.deny";
    public static final String FULL = "fs.faulty.full";
    private static final URI ROOT = URI.create(SCHEME + ":///");

    /** The Hadoop settings that register the scheme. */
    public static Map<String, String> settings() {
        return Map.of("fs.faulty.impl", FaultyFileSystem.class.getName(),
                "fs.faulty.impl.disable.cache", "true",
                "fs.AbstractFileSystem.faulty.impl", Fs.class.getName());
    }

    /** {@code faulty://} + a local absolute path. */
    public static String uri(java.nio.file.Path local) {
        return SCHEME + "://" + local.toAbsolutePath();
    }

    @Override
    public URI getUri() {
        return ROOT;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public void initialize(URI uri, Configuration conf) throws IOException {
        super.initialize(uri, conf);
        setConf(conf);
    }

    private boolean under(String key, Path p) {
        String path = p.toUri().getPath();
        for (String prefix : getConf() == null ? new String[0] : getConf().getTrimmedStrings(key)) {
            if (!prefix.isEmpty() && path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private void checkRead(Path p, String access) throws AccessControlException {
        if (under(DENY, p)) {
            throw new AccessControlException("Permission denied: user=" + System.getProperty("user.name") + ", access=" + access
                    + ", path=\"" + p.toUri().getPath() + "\"");
        }
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        checkRead(f, "READ");
        return super.open(f, bufferSize);
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        checkRead(f, "READ_EXECUTE");
        return super.listStatus(f);
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        return full(f, super.create(f, overwrite, bufferSize, replication, blockSize, progress));
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize, short replication,
                                     long blockSize, Progressable progress) throws IOException {
        return full(f, super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
    }

    @Override
    public FSDataOutputStream createNonRecursive(Path f, FsPermission permission, java.util.EnumSet<org.apache.hadoop.fs.CreateFlag> flags,
                                                 int bufferSize, short replication, long blockSize, Progressable progress) throws IOException {
        return full(f, super.createNonRecursive(f, permission, flags, bufferSize, replication, blockSize, progress));
    }

    @Override
    public FSDataOutputStream append(Path f, int bufferSize, Progressable progress) throws IOException {
        return full(f, super.append(f, bufferSize, progress));
    }

    private FSDataOutputStream full(Path f, FSDataOutputStream out) throws IOException {
        if (!under(FULL, f)) {
            return out;
        }
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > 0) {
                    throw new IOException("No space left on device");
                }
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
        return new FSDataOutputStream(failing, null);
    }

    /** The same file system for Hadoop's FileContext (Delta's default log store commits through it). */
    public static class Fs extends DelegateToFileSystem {
        public Fs(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(uri, new FaultyFileSystem(), conf, SCHEME, false);
        }
    }
}
