package viet

// TextKey returns a key whose byte order is Compare's order (up to ties,
// which Compare breaks by the bytes of the texts): for sorting many texts,
// a key each instead of a collation per comparison.
func TextKey(s string) []byte {
	c := collators.Get().(*nameCollator)
	defer collators.Put(c)
	k := c.coll.KeyFromString(&c.buf, Clean(s))
	out := make([]byte, len(k), len(k)+len(s)+1)
	copy(out, k)
	c.buf.Reset()
	// Ties as Compare breaks them: by the text's own bytes.
	out = append(out, 0)
	return append(out, s...)
}
