//! Forgiving value types for reading platform JSON: a field of an unexpected type reads
//! as absent instead of failing the whole line. Captures mix strings and numbers for the
//! same field (`createTime`, `statsV2`, Instagram `pk`) and anything may be `null`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A count or a time: a JSON integer, or a string of digits (`statsV2`, `createTime` in
/// page-embedded items). Never read through `f64` except for integral floats below
/// 2^53, where no precision is lost. Anything else is `None`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Num(pub Option<u64>);

/// A string; a JSON number reads as its decimal text (ids are strings or numbers).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text(pub Option<String>);

/// `true` only for JSON `true`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flag(pub bool);

/// Present and not `null` (whatever it holds).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Present(pub bool);

/// A `T` when the value has the shape of one, else `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Maybe<T>(pub Option<T>);

impl<T> Default for Maybe<T> {
    fn default() -> Self {
        Maybe(None)
    }
}

impl<T> Maybe<T> {
    pub fn get(&self) -> Option<&T> {
        self.0.as_ref()
    }
}

/// Consume a map or sequence the caller has no use for.
fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// The visitor shared by the scalar types: each says what it makes of a number, a
/// string and a bool; maps and sequences are skipped and give the default.
trait Scalar: Default + Sized {
    fn from_u64(_: u64) -> Self {
        Self::default()
    }
    fn from_str(_: &str) -> Self {
        Self::default()
    }
    fn from_bool(_: bool) -> Self {
        Self::default()
    }
    fn present() -> Self {
        Self::default()
    }
}

struct ScalarVisitor<T>(PhantomData<T>);

impl<'de, T: Scalar> Visitor<'de> for ScalarVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        Ok(T::from_bool(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Ok(T::from_u64(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Ok(u64::try_from(v).map_or_else(|_| T::present(), T::from_u64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
        if (0.0..EXACT).contains(&v) && v.fract() == 0.0 {
            Ok(T::from_u64(v as u64))
        } else {
            Ok(T::present())
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from_str(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        drain_map(map)?;
        Ok(T::present())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        drain_seq(seq)?;
        Ok(T::present())
    }
}

macro_rules! scalar_deserialize {
    ($($t:ty),*) => {$(
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(ScalarVisitor::<$t>(PhantomData))
            }
        }
    )*};
}
scalar_deserialize!(Num, Text, Flag, Present);

impl Scalar for Num {
    fn from_u64(v: u64) -> Self {
        Num(Some(v))
    }
    fn from_str(v: &str) -> Self {
        let v = v.trim();
        let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
        Num(digits.then(|| v.parse().ok()).flatten())
    }
}

impl Scalar for Text {
    fn from_u64(v: u64) -> Self {
        Text(Some(v.to_string()))
    }
    fn from_str(v: &str) -> Self {
        Text(Some(v.to_string()))
    }
}

impl Scalar for Flag {
    fn from_bool(v: bool) -> Self {
        Flag(v)
    }
}

impl Scalar for Present {
    fn from_u64(_: u64) -> Self {
        Present(true)
    }
    fn from_str(_: &str) -> Self {
        Present(true)
    }
    fn from_bool(_: bool) -> Self {
        Present(true)
    }
    fn present() -> Self {
        Present(true)
    }
}

impl Text {
    /// The string, or `""`.
    pub fn as_str(&self) -> &str {
        self.0.as_deref().unwrap_or("")
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Maybe<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Either<T> {
            Good(T),
            Other(IgnoredAny),
        }
        Ok(Maybe(match Either::<T>::deserialize(d)? {
            Either::Good(v) => Some(v),
            Either::Other(_) => None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Default, Debug)]
    #[serde(default)]
    struct Probe {
        n: Num,
        t: Text,
        f: Flag,
        p: Present,
        m: Maybe<Inner>,
        v: Maybe<Vec<Maybe<Inner>>>,
    }

    #[derive(serde::Deserialize, Default, Debug, PartialEq)]
    #[serde(default)]
    struct Inner {
        a: Num,
    }

    fn probe(json: &str) -> Probe {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn numbers_come_as_ints_or_digit_strings() {
        assert_eq!(probe(r#"{"n": 45213}"#).n, Num(Some(45213)));
        assert_eq!(probe(r#"{"n": "45213"}"#).n, Num(Some(45213)));
        assert_eq!(
            probe(r#"{"n": 3229060587373559433}"#).n.0,
            Some(3229060587373559433)
        );
        assert_eq!(probe(r#"{"n": 12.0}"#).n, Num(Some(12)));
        for odd in [
            r#"{"n": "4.5k"}"#,
            r#"{"n": -3}"#,
            r#"{"n": 1.5}"#,
            r#"{"n": 1e300}"#,
            r#"{"n": null}"#,
            r#"{"n": [1]}"#,
            r#"{"n": {"x": 1}}"#,
            r#"{"n": ""}"#,
            r#"{"n": "99999999999999999999999"}"#,
        ] {
            assert_eq!(probe(odd).n, Num(None), "{odd}");
        }
    }

    #[test]
    fn wrong_types_read_as_absent() {
        let p = probe(r#"{"t": 17, "f": "yes", "p": {}, "m": "x", "v": [{"a": 1}, 5, null]}"#);
        assert_eq!(p.t.as_str(), "17");
        assert!(!p.f.0);
        assert!(p.p.0);
        assert_eq!(p.m.0, None);
        let v = p.v.0.unwrap();
        assert_eq!(v.len(), 3);
        assert_eq!(v[0].0, Some(Inner { a: Num(Some(1)) }));
        assert_eq!(v[1].0, None);
        assert!(!probe(r#"{"p": null}"#).p.0);
        assert_eq!(probe(r#"{"v": "no"}"#).v.0, None);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!(r#"{{"m": {}{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
        assert!(serde_json::from_str::<Probe>(&deep).is_err());
        let deep_ignored = format!(
            r#"{{"zzz": {}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        // Skipped values are skipped without recursion: no limit needed, no crash.
        let _ = serde_json::from_str::<Probe>(&deep_ignored);
    }
}
