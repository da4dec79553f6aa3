fn main() {
    let _ = fixtree::tree! {
        "C:/x" => "x",
        "d:x" => "x",
        "src" => { "c:" => "y" },
    };
}
