//! Caller JSON, rule files, bundle envelopes and manifests read with serde_json, except that a struct is read
//! from a JSON object only. serde_json's `deserialize_struct` also accepts a struct written as an
//! array of its fields in order, so every derived struct carried a second reader (`visit_seq`,
//! with an element reader per field type): 41 KB of the page module (10 KB gzip). Nothing writes
//! rule files that way (their JSON form is made from TOML tables), so here a struct asks
//! serde_json for a map: the same code, errors and positions for an object; an array is refused
//! (`invalid type: sequence, expected struct …`) where it used to be read field by field.
//! Submissions, options and the server's requests are read through this too (`parse_json`, which
//! answers a whole input that is an array itself: `core/not_an_object`).
//!
//! [`Maps`] wraps the deserializer and everything serde passes through it that can reach a
//! struct (visitors, seeds, map/seq/enum access), forwarding every call unchanged but
//! `deserialize_struct`.

use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// `serde_json::from_str`, structs from objects only.
pub(crate) fn from_str<T: de::DeserializeOwned>(json: &str) -> serde_json::Result<T> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let value = T::deserialize(Maps(&mut deserializer))?;
    deserializer.end()?;
    Ok(value)
}

/// A deserializer, visitor, seed or access, forwarding to the one it wraps.
struct Maps<T>(T);

macro_rules! forward_deserialize {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(Maps(visitor))
        }
    )*};
}

macro_rules! forward_unwrapped {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(visitor)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Maps<D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_option deserialize_seq deserialize_map
    }

    // Visitors that are given no deserializer or access for a struct's fields (scalars, any,
    // ignored): passed through unwrapped, so serde_json's code for them is the one instance the
    // rest of the engine uses (`serde_json::Value`: once, not once more wrapped). (Whatever
    // reaches a struct through `deserialize_any` — untagged enums — reads it from serde's buffered
    // content, not from serde_json.)
    forward_unwrapped! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_unit deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Maps(visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Maps(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Maps(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, Maps(visitor))
    }

    /// The one change: a struct from a map only.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Maps(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Maps(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident: $ty:ty)*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.0.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Maps<V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(formatter)
    }

    forward_visit! {
        visit_bool: bool visit_i8: i8 visit_i16: i16 visit_i32: i32 visit_i64: i64
        visit_i128: i128 visit_u8: u8 visit_u16: u16 visit_u32: u32 visit_u64: u64
        visit_u128: u128 visit_f32: f32 visit_f64: f64 visit_char: char visit_str: &str
        visit_borrowed_str: &'de str visit_string: String visit_bytes: &[u8]
        visit_borrowed_bytes: &'de [u8] visit_byte_buf: Vec<u8>
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Maps(deserializer))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Maps(deserializer))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Maps(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Maps(map))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Maps(data))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Maps<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Maps(deserializer))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Maps<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Maps(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Maps<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Maps(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Maps(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Maps<A> {
    type Error = A::Error;
    type Variant = Maps<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        let (value, variant) = self.0.variant_seed(Maps(seed))?;
        Ok((value, Maps(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Maps<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Maps(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Maps(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Maps(visitor))
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        a: u32,
        #[serde(default)]
        b: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        inner: Vec<Inner>,
        raw: Box<serde_json::value::RawValue>,
        value: serde_json::Value,
    }

    /// The same value, or the same error text, as serde_json for objects.
    #[test]
    fn objects_read_as_serde_json_reads_them() {
        let texts = [
            r#"{"inner":[{"a":1},{"a":2,"b":"x"}],"raw":[1, {"k": 2}],"value":{"z":[1.5,"s",null]}}"#,
            r#"{"inner":[{"a":1,"c":3}],"raw":1,"value":1}"#,
            r#"{"inner":[{"b":"x"}],"raw":1,"value":1}"#,
            r#"{"inner":[{"a":"1"}],"raw":1,"value":1}"#,
            r#"{"inner":{"a":1},"raw":1,"value":1}"#,
            r#"{"inner":[{"a":1}],"raw":1,"value":1} x"#,
            r#"{"inner":[{"a":1,"a":2}],"raw":1,"value":1}"#,
            r#"{"inner":[5],"raw":1,"value":1}"#,
            r#"{"inner":[{"a":1.5e3}],"raw":1}"#,
        ];
        for text in texts {
            let ours = super::from_str::<Outer>(text).map_err(|e| e.to_string());
            let theirs = serde_json::from_str::<Outer>(text).map_err(|e| e.to_string());
            match (&ours, &theirs) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.inner, b.inner, "{text}");
                    assert_eq!(a.raw.get(), b.raw.get(), "{text}");
                    assert_eq!(a.value, b.value, "{text}");
                }
                _ => assert_eq!(ours.err(), theirs.err(), "{text}"),
            }
        }
    }

    /// A struct written as an array is refused (serde_json would read it field by field).
    #[test]
    fn a_struct_as_an_array_is_refused() {
        let text = r#"{"inner":[[1,"x"]],"raw":1,"value":1}"#;
        assert!(serde_json::from_str::<Outer>(text).is_ok());
        let err = super::from_str::<Outer>(text).unwrap_err().to_string();
        assert_eq!(
            err,
            "invalid type: sequence, expected struct Inner at line 1 column 10"
        );
    }
}
