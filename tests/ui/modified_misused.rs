use std::time::Duration;

fn main() {
    // `exec` makes a node, which holds no time of its own to give.
    let _ = fixtree::tree! {
        "run.sh" => modified(ago(Duration::from_secs(60)), exec("#!/bin/sh\n")),
    };
    // A matcher describes a file; it has no contents to write a time on.
    fixtree::assert_tree!("dir", {
        "log" => modified(unix_time(0), contains("done")),
    });
}
