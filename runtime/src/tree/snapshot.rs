//! Snapshot folders: read and copy them, `.keep` markers aside (to be written).
