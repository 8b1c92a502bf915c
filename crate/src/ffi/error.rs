//! Status codes, the last error message, and the panic hook.

use std::cell::RefCell;

/// Status codes returned across the boundary.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok = 0,
    InvalidArgument = 1,
    InvalidHandle = 2,
    Internal = 3,
    /// Valid input without a solution (e.g. no bounded stationary state).
    NoSolution = 4,
    /// A simulation's state left the finite range.
    Diverged = 5,
}

thread_local! {
    static LAST_ERROR: RefCell<String> = RefCell::new(String::new());
}

/// Records `message` as the last error and returns `status` as an i32.
pub fn fail(status: Status, message: &str) -> i32 {
    set_message(message);
    status as i32
}

fn set_message(message: &str) {
    LAST_ERROR.with(|e| {
        if let Ok(mut e) = e.try_borrow_mut() {
            e.clear();
            e.push_str(message);
        }
    });
}

/// Address of the last error message (UTF-8, `rnl_error_len` bytes).
#[no_mangle]
pub extern "C" fn rnl_error_ptr() -> *const u8 {
    LAST_ERROR.with(|e| e.borrow().as_ptr())
}

/// Length in bytes of the last error message.
#[no_mangle]
pub extern "C" fn rnl_error_len() -> usize {
    LAST_ERROR.with(|e| e.borrow().len())
}

/// Installs the panic hook that keeps the panic message readable after the trap.
#[no_mangle]
pub extern "C" fn rnl_init() {
    std::panic::set_hook(Box::new(|info| set_message(&format!("panic: {info}"))));
}

/// Panics on purpose; exists so that callers can test their recovery from a trap.
#[no_mangle]
pub extern "C" fn rnl_selftest_panic() {
    panic!("deliberate panic requested by rnl_selftest_panic");
}
