// LLVM 22 parser crash: a dense array of index type.
func.func @f() attributes {a = array<index: 1>} {
  return
}
