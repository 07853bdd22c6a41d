//! Events' fields as JSON, decoded against the block's own metadata (no type knowledge needed):
//! byte arrays and byte vectors become `0x…` hex, newtypes are unwrapped, unit variants become
//! their name and other variants `{"Name": fields}`, integers above 2^53 become decimal strings
//! (JSON readers lose precision past that).

use serde_json::{json, Map, Value as Json};
use tpchain_client::subxt::ext::scale_value::{Composite, Primitive, Value, ValueDef};

/// The largest integer every JSON reader keeps exactly.
const SAFE_INTEGER: u128 = (1 << 53) - 1;

/// A decoded value as JSON.
pub fn value(v: &Value<()>) -> Json {
	match &v.value {
		ValueDef::Composite(c) => composite(c),
		ValueDef::Variant(var) => {
			if var.values.is_empty() {
				Json::String(var.name.clone())
			} else {
				let mut m = Map::new();
				m.insert(var.name.clone(), composite(&var.values));
				Json::Object(m)
			}
		},
		ValueDef::BitSequence(bits) => {
			Json::String(bits.iter().map(|b| if b { '1' } else { '0' }).collect())
		},
		ValueDef::Primitive(p) => match p {
			Primitive::Bool(b) => Json::Bool(*b),
			Primitive::Char(c) => Json::String(c.to_string()),
			Primitive::String(s) => Json::String(s.clone()),
			Primitive::U128(n) if *n <= SAFE_INTEGER => json!(*n as u64),
			Primitive::U128(n) => Json::String(n.to_string()),
			Primitive::I128(n) if n.unsigned_abs() <= SAFE_INTEGER => json!(*n as i64),
			Primitive::I128(n) => Json::String(n.to_string()),
			Primitive::U256(b) | Primitive::I256(b) => {
				Json::String(format!("0x{}", hex::encode(b)))
			},
		},
	}
}

/// A composite: named fields as an object; unnamed ones as an array, a byte string as hex, and
/// a single unnamed field (a newtype) as that field.
pub fn composite(c: &Composite<()>) -> Json {
	match c {
		Composite::Named(fields) => {
			Json::Object(fields.iter().map(|(k, v)| (k.clone(), value(v))).collect())
		},
		Composite::Unnamed(values) => {
			if let Some(bytes) = as_bytes(values) {
				return Json::String(format!("0x{}", hex::encode(bytes)));
			}
			if values.len() == 1 {
				return value(&values[0]);
			}
			Json::Array(values.iter().map(value).collect())
		},
	}
}

/// `values` as bytes when it is a byte array or vector (two or more `u8`s, or an empty list is
/// left as a list), looking through one newtype level (`BoundedVec<u8>`).
fn as_bytes(values: &[Value<()>]) -> Option<Vec<u8>> {
	if values.len() < 2 {
		if let [Value { value: ValueDef::Composite(Composite::Unnamed(inner)), .. }] = values {
			return as_bytes(inner);
		}
		return None;
	}
	values
		.iter()
		.map(|v| match v.value {
			ValueDef::Primitive(Primitive::U128(n)) if n <= 255 => Some(n as u8),
			_ => None,
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn bytes_newtypes_variants_and_big_integers() {
		let account = Value::unnamed_composite(vec![Value::unnamed_composite(
			(0..32u8).map(|b| Value::u128(b as u128)).collect::<Vec<_>>(),
		)]);
		assert_eq!(
			value(&account),
			Json::String(format!("0x{}", hex::encode((0..32u8).collect::<Vec<_>>())))
		);
		let reason = Value::unnamed_variant(
			"Escrow",
			vec![Value::unnamed_variant("DisputeBond", Vec::<Value<()>>::new())],
		);
		assert_eq!(value(&reason), json!({"Escrow": "DisputeBond"}));
		let amount = Value::named_composite(vec![
			("amount", Value::u128(10u128.pow(18))),
			("small", Value::u128(7)),
		]);
		assert_eq!(value(&amount), json!({"amount": "1000000000000000000", "small": 7}));
	}
}
