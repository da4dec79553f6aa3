//! `Tree::write_to`: materialize a tree under a root (to be written).
