package org.multimagnet.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading what may have been planted: special files, links out, files longer than their bound. */
class SafeFilesTest {
    @TempDir
    Path dir;

    private Path fifo(String name) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mkfifo")) || Files.isExecutable(Path.of("/bin/mkfifo")));
        Path p = dir.resolve(name);
        assertEquals(0, new ProcessBuilder("mkfifo", p.toString()).start().waitFor());
        return p;
    }

    @Test
    void aFifoIsRefusedAtOnceInsteadOfBlocking() throws Exception {
        Path p = fifo("ae-01.json");
        UserException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(UserException.class, () -> Json.readFile(p, Object.class)));
        assertTrue(e.getMessage().startsWith(p + ": is a special file"), e.getMessage());
        assertThrows(UserException.class, () -> Checksums.sha256(p));
    }

    @Test
    void aDeviceWhoseSizeIsZeroIsRefusedInsteadOfReadWithoutEnd() {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        UserException e = assertThrows(UserException.class, () -> Json.readFile(Path.of("/dev/zero"), Object.class));
        assertTrue(e.getMessage().startsWith("/dev/zero: is a special file"), e.getMessage());
    }

    @Test
    void theBoundCountsBytesReadNotTheSizeReported() throws Exception {
        Path f = dir.resolve("f");
        Files.write(f, new byte[101]);
        assertEquals(101, SafeFiles.read(f, 101).length);
        UserException e = assertThrows(UserException.class, () -> SafeFiles.read(f, 100));
        assertTrue(e.getMessage().contains("more than the 100 bytes"), e.getMessage());
    }

    @Test
    void aLinkOutOfTheWorkspaceIsRefusedAndALinkInsideIsFollowed() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Path outside = Files.writeString(dir.resolve("outside.json"), "{}");
        Path out = Files.createSymbolicLink(ws.resolve("cbest.json"), outside);
        UserException e = assertThrows(UserException.class, () -> Json.readInside(ws, out, Object.class));
        assertTrue(e.getMessage().startsWith(out + ": leads to " + outside.toRealPath()), e.getMessage());
        Path real = Files.writeString(ws.resolve("real.json"), "{\"a\":1}");
        Path in = Files.createSymbolicLink(ws.resolve("in.json"), real);
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), SafeFiles.readInside(ws, in, 100));
    }

    @Test
    void nullAsTheWholeFileIsRefusedNamingTheFile() throws Exception {
        Path f = Files.writeString(dir.resolve("workspace.json"), "null");
        UserException e = assertThrows(UserException.class, () -> Json.readFile(f, java.util.Map.class));
        assertTrue(e.getMessage().startsWith(f + ": holds no Map"), e.getMessage());
    }

    @Test
    void atomicWritesKeepTheUmaskInsteadOfMaking0600Files() throws Exception {
        Path plain = Files.createFile(dir.resolve("plain"));
        assumeTrue(Files.getPosixFilePermissions(plain).contains(PosixFilePermission.OTHERS_READ),
                "the umask gives no one else read access");
        Path target = dir.resolve("cbest.json");
        AtomicFiles.write(target, new byte[] {1});
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(target);
        assertEquals(Files.getPosixFilePermissions(plain), perms);
        AtomicFiles.write(target, new byte[] {2}); // a replaced file too
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(target));
    }

    @Test
    void aWriteThatFailsIsOneLineNamingTheFile() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("evaluations"), "a file where a folder should be");
        Path target = notAFolder.resolve("bim-magnet.json");
        UserException e = assertThrows(UserException.class, () -> AtomicFiles.write(target, new byte[] {1}));
        assertTrue(e.getMessage().startsWith(target + ": could not write"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
