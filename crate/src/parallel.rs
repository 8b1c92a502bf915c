//! Fork–join over helper threads that share this module's memory (the `+atomics` build,
//! `rnnlab-threads.wasm`). Each helper is an instance of the module in a worker, parked in
//! [`rnl_helper_loop`]; [`for_each`] hands the chunk indices of a loop out to the calling thread
//! and the helpers, first come first served. Chunks write disjoint outputs and each computes
//! the same thing whoever runs it, so results do not depend on the number of threads.
//!
//! Without atomics, with no helper, or inside a chunk (no nesting), the chunks run in order on
//! the calling thread. The calling thread never blocks: it spins while the helpers finish their
//! last chunks. (A browser's main thread may not execute `memory.atomic.wait`, and in Node 20
//! a `memory.atomic.wait` with a timeout, run by V8's baseline compiler, was measured to corrupt
//! the caller's stack frames.) Idle helpers spin briefly, then block until the next loop.

#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
mod pool {
    use core::arch::wasm32::{memory_atomic_notify, memory_atomic_wait32};
    use core::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
    use std::cell::Cell;

    type Task<'a> = &'a (dyn Fn(usize) + Sync);

    static HELPERS: AtomicUsize = AtomicUsize::new(0);
    static FAILED: AtomicBool = AtomicBool::new(false);
    /// Bumped for each loop; parked helpers wait on it.
    static EPOCH: AtomicI32 = AtomicI32::new(0);
    static BUSY: AtomicBool = AtomicBool::new(false);
    // The running loop, in statics (fixed addresses): its task (the address of a `Task` on the
    // caller's stack), chunk count, next unclaimed chunk and finished chunks (the caller spins
    // on DONE). Written only while no helper can be inside `work` (LIVE = 0, ACTIVE = 0).
    static TASK: AtomicUsize = AtomicUsize::new(0);
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    static DONE: AtomicUsize = AtomicUsize::new(0);
    /// 1 while a loop runs.
    static LIVE: AtomicI32 = AtomicI32::new(0);
    /// Helpers that may be looking at a loop: its caller returns only once this is 0.
    static ACTIVE: AtomicUsize = AtomicUsize::new(0);
    /// Polls before an idle helper blocks: about 0.1 ms.
    const SPINS: u32 = 1 << 14;

    /// Claims and runs chunks of the running loop until none is left.
    fn work() {
        let count = COUNT.load(Ordering::SeqCst);
        // SAFETY: TASK points at a Task that outlives the loop (see `for_each`).
        let task = unsafe { *(TASK.load(Ordering::SeqCst) as *const Task) };
        loop {
            let i = NEXT.fetch_add(1, Ordering::SeqCst);
            if i >= count {
                return;
            }
            task(i);
            DONE.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// A helper's share of the running loop, if any.
    fn help() {
        // With the caller's swap of LIVE and load of ACTIVE (all sequentially consistent):
        // either the caller sees this helper active and waits for it, or this helper sees no
        // loop, or the next loop with all its statics written.
        ACTIVE.fetch_add(1, Ordering::SeqCst);
        if LIVE.load(Ordering::SeqCst) == 1 {
            work();
        }
        ACTIVE.fetch_sub(1, Ordering::SeqCst);
    }

    thread_local! {
        /// Whether this thread is a helper.
        static HELPER: Cell<bool> = Cell::new(false);
    }

    /// Parks the calling thread (a helper instance) as a helper; returns only by a trap.
    #[no_mangle]
    pub extern "C" fn rnl_helper_loop() {
        HELPER.with(|h| h.set(true));
        HELPERS.fetch_add(1, Ordering::AcqRel);
        let mut seen = EPOCH.load(Ordering::Acquire);
        let mut idle = 0;
        loop {
            let now = EPOCH.load(Ordering::Acquire);
            if now != seen {
                (seen, idle) = (now, 0);
                help();
            } else if idle < SPINS {
                // Loops often come in quick succession (one per column of a reduction).
                idle += 1;
                core::hint::spin_loop();
            } else {
                // SAFETY: EPOCH is an aligned i32 of this memory.
                unsafe { memory_atomic_wait32(EPOCH.as_ptr(), seen, -1) };
            }
        }
    }

    /// Called by a helper whose loop trapped: the caller then panics instead of waiting for
    /// its chunk forever.
    #[no_mangle]
    pub extern "C" fn rnl_helper_failed() {
        FAILED.store(true, Ordering::SeqCst);
    }

    /// Runs a parallel loop whose chunks panic on helper threads (each first spins for a while,
    /// so that helpers take some); exists so that callers can test their recovery.
    #[no_mangle]
    pub extern "C" fn rnl_selftest_helper_panic() {
        for_each(64, &|_| {
            let spin = AtomicUsize::new(0);
            while spin.fetch_add(1, Ordering::Relaxed) < 200_000 {}
            assert!(
                !HELPER.with(Cell::get),
                "deliberate panic on a helper thread"
            );
        });
    }

    /// Number of helpers parked so far.
    #[no_mangle]
    pub extern "C" fn rnl_helpers() -> usize {
        HELPERS.load(Ordering::Acquire)
    }

    pub fn for_each(count: usize, f: &(dyn Fn(usize) + Sync)) {
        if count < 2 || HELPERS.load(Ordering::Acquire) == 0 || BUSY.swap(true, Ordering::AcqRel) {
            (0..count).for_each(f);
            return;
        }
        let task: Task = f;
        TASK.store(&task as *const Task as usize, Ordering::SeqCst);
        COUNT.store(count, Ordering::SeqCst);
        NEXT.store(0, Ordering::SeqCst);
        DONE.store(0, Ordering::SeqCst);
        // Read–modify–writes rather than stores: full barriers on every engine.
        LIVE.swap(1, Ordering::SeqCst);
        EPOCH.fetch_add(1, Ordering::SeqCst);
        // SAFETY: EPOCH is an aligned i32 of this memory.
        unsafe { memory_atomic_notify(EPOCH.as_ptr(), u32::MAX) };
        work();
        while DONE.load(Ordering::SeqCst) < count {
            assert!(
                !FAILED.load(Ordering::SeqCst),
                "a helper thread failed during a parallel loop"
            );
            core::hint::spin_loop();
        }
        LIVE.swap(0, Ordering::SeqCst);
        while ACTIVE.load(Ordering::SeqCst) != 0 {
            core::hint::spin_loop();
        }
        BUSY.store(false, Ordering::Release);
    }
}

/// Runs `f(0), …, f(count − 1)`, shared with the helper threads when there are any.
pub fn for_each(count: usize, f: &(dyn Fn(usize) + Sync)) {
    #[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
    pool::for_each(count, f);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "atomics")))]
    (0..count).for_each(f);
}

/// Below this many multiply–adds a loop runs on the calling thread: waking helpers costs more.
const PARALLEL_WORK: usize = 1 << 16;

/// [`for_each`] for a loop of about `work` multiply–adds in all; small loops run in order here.
pub fn for_each_large(count: usize, work: usize, f: &(dyn Fn(usize) + Sync)) {
    if work >= PARALLEL_WORK {
        for_each(count, f);
    } else {
        (0..count).for_each(f);
    }
}

/// A mutable buffer shared by the chunks of a parallel loop, each writing only its own part.
#[derive(Clone, Copy)]
pub struct Shared(*mut f64, usize);

// SAFETY: chunks write disjoint parts (the contract of `part`).
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

impl Shared {
    pub fn new(buffer: &mut [f64]) -> Self {
        Shared(buffer.as_mut_ptr(), buffer.len())
    }

    /// Entries `start..start + len`.
    ///
    /// # Safety
    /// No two live parts overlap, and the buffer outlives them.
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn part(&self, start: usize, len: usize) -> &mut [f64] {
        assert!(start + len <= self.1, "Shared::part out of range");
        std::slice::from_raw_parts_mut(self.0.add(start), len)
    }
}
