//! Buffers for bulk data, allocated by the caller (8-byte aligned).

use std::alloc::{alloc, dealloc, Layout};

fn layout(bytes: usize) -> Option<Layout> {
    Layout::from_size_align(bytes.max(8), 8).ok()
}

/// Allocates `bytes` bytes (8-byte aligned); returns null when the memory cannot grow.
#[no_mangle]
pub extern "C" fn rnl_alloc(bytes: usize) -> *mut u8 {
    match layout(bytes) {
        // SAFETY: the layout has non-zero size.
        Some(l) => unsafe { alloc(l) },
        None => std::ptr::null_mut(),
    }
}

/// Frees a buffer from [`rnl_alloc`] with the same `bytes`.
///
/// # Safety
/// `ptr` must come from `rnl_alloc(bytes)` and not have been freed.
#[no_mangle]
pub unsafe extern "C" fn rnl_free(ptr: *mut u8, bytes: usize) {
    if let (false, Some(l)) = (ptr.is_null(), layout(bytes)) {
        dealloc(ptr, l);
    }
}
