fn main() {
    let _ = fixtree::tree! { 1 => "x" };
    let _ = fixtree::tree! { name => "x" };
    let _ = fixtree::tree! { b"bytes" => "x" };
}
