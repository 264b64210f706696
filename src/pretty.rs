//! Pretty JSON: byte for byte what `serde_json::to_string_pretty` prints (two-space indent),
//! written in fewer pieces. serde_json's `PrettyFormatter` writes a line break and then the
//! indent one level at a time, so a key four levels deep costs five small writes before its
//! text; here the break and the whole indent are one slice of a constant. Small writes are
//! cheap natively but each one is a call to `memory.copy` in wasm, and a verdict has thousands.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, Serializer};

/// `,` then a line break then the indent of [`MAX_FAST_DEPTH`] levels; a break with `n` levels
/// is a slice of it.
const BREAK: &[u8; 2 + 2 * MAX_FAST_DEPTH] = &{
    let mut bytes = [b' '; 2 + 2 * MAX_FAST_DEPTH];
    bytes[0] = b',';
    bytes[1] = b'\n';
    bytes
};
/// Deeper than this (no verdict is), the indent is written a level at a time.
const MAX_FAST_DEPTH: usize = 32;

/// serde_json's `PrettyFormatter` with `indent = "  "`, the same state and the same bytes.
#[derive(Default)]
struct Pretty {
    current_indent: usize,
    has_value: bool,
}

impl Pretty {
    /// `,` (unless `first`), a line break and the current indent.
    fn line_break<W: ?Sized + Write>(&self, writer: &mut W, first: bool) -> io::Result<()> {
        let start = usize::from(first);
        if self.current_indent <= MAX_FAST_DEPTH {
            writer.write_all(&BREAK[start..2 + 2 * self.current_indent])
        } else {
            writer.write_all(&BREAK[start..2])?;
            (0..self.current_indent).try_for_each(|_| writer.write_all(b"  "))
        }
    }

    /// `[` or `{`: one level deeper, nothing in it yet.
    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.current_indent += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    /// `]` or `}`: on its own line unless the array or object was empty.
    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.current_indent -= 1;
        if self.has_value {
            self.line_break(writer, true)?;
        }
        writer.write_all(bracket)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line_break(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line_break(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` as pretty JSON, the same text as `serde_json::to_string_pretty`.
pub(crate) fn to_string<T: ?Sized + Serialize>(value: &T) -> Result<String, String> {
    let mut out = Vec::with_capacity(4096);
    to_writer(&mut out, value)?;
    text(out)
}

/// The written bytes as a `String`. (Not generic: one copy for every type written.)
fn text(out: Vec<u8>) -> Result<String, String> {
    // serde_json writes only UTF-8; checked all the same rather than assumed (no unsafe code).
    String::from_utf8(out).map_err(|e| e.to_string())
}

/// Appends `value` as pretty JSON (the bytes of [`to_string`]) to `out`. serde_json writes only
/// UTF-8, so the appended bytes are UTF-8; a caller that needs a `&str` checks them itself.
pub(crate) fn to_writer<T: ?Sized + Serialize>(out: &mut Vec<u8>, value: &T) -> Result<(), String> {
    value
        .serialize(&mut Serializer::with_formatter(out, Pretty::default()))
        .map_err(message)
}

/// A serialization error's text. (Not generic: one copy for every type written.)
fn message(e: serde_json::Error) -> String {
    e.to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn same_bytes_as_serde_json() {
        let deep = (0..40).fold(
            json!([1, {"a": []}, {}]),
            |inner, i| json!({ "k": [inner, i] }),
        );
        for value in [
            json!(null),
            json!([]),
            json!({}),
            json!([[], {}, [[]], [{}]]),
            json!({"a": 1, "b": [true, null, "x\n\"y\""], "c": {"d": {"e": []}}, "中": "文"}),
            deep,
        ] {
            let expected = serde_json::to_string_pretty(&value).unwrap();
            assert_eq!(super::to_string(&value).unwrap(), expected);
            let mut appended = b"prefix".to_vec();
            super::to_writer(&mut appended, &value).unwrap();
            assert_eq!(&appended[6..], expected.as_bytes());
        }
    }
}
