package org.multimagnet.workspace;

/** The child of {@link WorkspaceLockTest} that takes a workspace's lock, says so, and waits to be killed. */
public final class LockHolderMain {
    private LockHolderMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        WorkspaceLock lock = WorkspaceLock.acquire(java.nio.file.Path.of(args[0]));
        System.out.println("locked since " + lock.since());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
