fn main() {
    let _ = fixtree::tree! {
        "a" => "x"
        "b" => "y",
        "c" =>,
        "d" => "z" extra tokens,
        "e" => "fine",
    };
    let _ = fixtree::tree!({ "a" => "x" });
}
