//! Spec text: `Display` and `FromStr` for `Tree` (to be written).

use std::fmt;

use super::Tree;

impl fmt::Debug for Tree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.entries()).finish()
    }
}
