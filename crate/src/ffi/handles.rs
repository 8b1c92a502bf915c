//! Slabs of objects owned by WASM and addressed by integer handles (index + 1; 0 is never valid).

use super::error::{fail, Status};

/// A slab with a free list; freed slots are reused, so memory stays flat over create/free cycles.
pub struct Slab<T> {
    slots: Vec<Option<T>>,
    free: Vec<usize>,
}

impl<T> Slab<T> {
    pub const fn new() -> Slab<T> {
        Slab {
            slots: Vec::new(),
            free: Vec::new(),
        }
    }

    /// Stores `value` and returns its handle.
    pub fn insert(&mut self, value: T) -> u32 {
        let index = match self.free.pop() {
            Some(i) => {
                self.slots[i] = Some(value);
                i
            }
            None => {
                self.slots.push(Some(value));
                self.slots.len() - 1
            }
        };
        (index + 1) as u32
    }

    /// The object behind `handle`, or an `InvalidHandle` status.
    pub fn get_mut(&mut self, handle: u32) -> Result<&mut T, i32> {
        let index = (handle as usize).wrapping_sub(1);
        self.slots
            .get_mut(index)
            .and_then(Option::as_mut)
            .ok_or_else(|| {
                fail(
                    Status::InvalidHandle,
                    &format!("handle {handle} is not live"),
                )
            })
    }

    /// Drops the object behind `handle`.
    pub fn remove(&mut self, handle: u32) -> Result<(), i32> {
        self.get_mut(handle)?;
        let index = handle as usize - 1;
        self.slots[index] = None;
        self.free.push(index);
        Ok(())
    }

    /// Number of live objects.
    pub fn live(&self) -> usize {
        self.slots.len() - self.free.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_reused_and_checked() {
        let mut s = Slab::new();
        let a = s.insert(1);
        let b = s.insert(2);
        assert_eq!((a, b), (1, 2));
        s.remove(a).unwrap();
        assert!(s.get_mut(a).is_err());
        assert!(s.remove(a).is_err());
        assert!(s.get_mut(0).is_err());
        assert_eq!(s.insert(3), a);
        assert_eq!(*s.get_mut(a).unwrap(), 3);
        assert_eq!(s.live(), 2);
    }
}
