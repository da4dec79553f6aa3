fn main() {
    let _ = fixtree::tree! {
        "/abs" => "x",
        "ok" => "x",
        "ok" => "again",
        "file" => "x",
        "file/inside" => "y",
        "dir" => {
            "a/../b" => "x",
            "" => "y",
        },
        ..
    };
}
