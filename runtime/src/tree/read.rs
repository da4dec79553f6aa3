//! `Tree::read`: snapshot a directory (to be written).
