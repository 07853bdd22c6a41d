//! SCALE values as JSON and back, against the runtime's metadata (no compiled-in types):
//! events' fields for the indexer and the CLI, calls for governance proposals.
//!
//! To JSON ([`value`], [`decode_call`]): byte arrays and byte vectors become `0x…` hex, newtypes
//! are unwrapped, unit variants become their name and other variants `{"Name": fields}`,
//! integers above 2^53 become decimal strings (JSON readers lose precision past that).
//!
//! From JSON ([`encode_call`]), guided by each field's type: objects for named fields, arrays for
//! unnamed ones and tuples, a bare value for a one-field newtype, `"Name"` or `{"Name": …}` for
//! variants, numbers or decimal strings for integers, `0x…` hex or text for byte vectors, SS58
//! for account ids (and for `MultiAddress`, meaning its `Id`).

use scale_info::{form::PortableForm, PortableRegistry, TypeDef, TypeDefPrimitive};
use scale_value::{Composite, Primitive, Value, ValueDef};
use serde_json::{json, Map, Value as Json};
use subxt::ext::scale_value;

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

/// Why a JSON value does not fit the type it was given for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct JsonTypeError {
	/// Where in the value (`args.entity`, `[2]`).
	pub path: String,
	/// What is wrong.
	pub message: String,
}

fn fail<T>(path: &str, message: impl Into<String>) -> Result<T, JsonTypeError> {
	Err(JsonTypeError {
		path: if path.is_empty() { "call".into() } else { path.into() },
		message: message.into(),
	})
}

/// A call's SCALE bytes as `{"pallet": …, "call": …, "args": {…}}`.
pub fn decode_call(metadata: &subxt::Metadata, mut bytes: &[u8]) -> Result<Json, JsonTypeError> {
	let ty = metadata.outer_enums().call_enum_ty();
	let value = scale_value::scale::decode_as_type(&mut bytes, ty, metadata.types())
		.map_err(|e| JsonTypeError { path: "call".into(), message: e.to_string() })?
		.remove_context();
	if !bytes.is_empty() {
		return fail("call", format!("{} bytes left over", bytes.len()));
	}
	let ValueDef::Variant(pallet) = value.value else { return fail("call", "not a call") };
	let inner = match pallet.values.into_values().next() {
		Some(Value { value: ValueDef::Variant(call), .. }) => call,
		_ => return fail("call", "not a call"),
	};
	Ok(
		json!({ "pallet": pallet.name, "call": inner.name, "args": composite_object(&inner.values) }),
	)
}

/// Named fields as an object (a call's arguments), unnamed ones as [`composite`] shows them.
fn composite_object(c: &Composite<()>) -> Json {
	match c {
		Composite::Named(_) => composite(c),
		Composite::Unnamed(v) if v.is_empty() => Json::Object(Map::new()),
		Composite::Unnamed(_) => composite(c),
	}
}

/// `{"pallet": "Operators", "call": "suspend", "args": {"entity": 3}}` as the runtime's SCALE
/// call bytes (pallet index, call index, arguments).
pub fn encode_call(metadata: &subxt::Metadata, call: &Json) -> Result<Vec<u8>, JsonTypeError> {
	let field = |name: &str| match call.get(name).and_then(Json::as_str) {
		Some(s) => Ok(s),
		None => fail(name, "missing (expected a string)"),
	};
	let (pallet_name, call_name) = (field("pallet")?, field("call")?);
	let pallet = metadata.pallet_by_name(pallet_name).ok_or_else(|| JsonTypeError {
		path: "pallet".into(),
		message: format!("no pallet {pallet_name:?}"),
	})?;
	let variant = pallet.call_variant_by_name(call_name).ok_or_else(|| JsonTypeError {
		path: "call".into(),
		message: format!("{pallet_name} has no call {call_name:?}"),
	})?;
	let args = call.get("args").cloned().unwrap_or(Json::Object(Map::new()));
	let fields = fields_value(&args, &variant.fields, metadata.types(), "args")?;
	let mut out = vec![pallet.call_index(), variant.index];
	for (value, f) in fields.into_values().zip(&variant.fields) {
		scale_value::scale::encode_as_type(&value, f.ty.id, metadata.types(), &mut out)
			.map_err(|e| JsonTypeError { path: "args".into(), message: e.to_string() })?;
	}
	Ok(out)
}

/// `json` as the fields of a composite or variant: an object by field name, an array in order,
/// or (one field) the bare value.
fn fields_value(
	json: &Json,
	fields: &[scale_info::Field<PortableForm>],
	types: &PortableRegistry,
	path: &str,
) -> Result<Composite<()>, JsonTypeError> {
	let named = fields.iter().all(|f| f.name.is_some()) && !fields.is_empty();
	match json {
		Json::Object(map) if named => {
			if let Some(extra) =
				map.keys().find(|k| !fields.iter().any(|f| f.name.as_deref() == Some(k)))
			{
				return fail(&format!("{path}.{extra}"), "no such field");
			}
			let mut out = Vec::with_capacity(fields.len());
			for f in fields {
				let name = f.name.clone().unwrap_or_default();
				let sub = format!("{path}.{name}");
				let Some(v) = map.get(&name) else { return fail(&sub, "missing") };
				out.push((name, to_value(v, f.ty.id, types, &sub)?));
			}
			Ok(Composite::Named(out))
		},
		Json::Array(items) if fields.len() != 1 => {
			if items.len() != fields.len() {
				return fail(
					path,
					format!("expected {} values, got {}", fields.len(), items.len()),
				);
			}
			let values = items
				.iter()
				.zip(fields)
				.enumerate()
				.map(|(i, (v, f))| to_value(v, f.ty.id, types, &format!("{path}[{i}]")))
				.collect::<Result<Vec<_>, _>>()?;
			Ok(Composite::Unnamed(values))
		},
		Json::Null if fields.is_empty() => Ok(Composite::Unnamed(vec![])),
		Json::Object(map) if fields.is_empty() && map.is_empty() => Ok(Composite::Unnamed(vec![])),
		other if fields.len() == 1 => {
			let v = to_value(other, fields[0].ty.id, types, path)?;
			Ok(match &fields[0].name {
				Some(n) => Composite::Named(vec![(n.clone(), v)]),
				None => Composite::Unnamed(vec![v]),
			})
		},
		_ if named => fail(path, "expected an object of named fields"),
		_ => fail(path, format!("expected an array of {} values", fields.len())),
	}
}

fn is_u8(id: u32, types: &PortableRegistry) -> bool {
	matches!(types.resolve(id).map(|t| &t.type_def), Some(TypeDef::Primitive(TypeDefPrimitive::U8)))
}

/// `json` as a value of type `id`.
fn to_value(
	json: &Json,
	id: u32,
	types: &PortableRegistry,
	path: &str,
) -> Result<Value<()>, JsonTypeError> {
	let Some(ty) = types.resolve(id) else { return fail(path, format!("unknown type {id}")) };
	let last = ty.path.segments.last().map(String::as_str);
	match (&ty.type_def, json) {
		// An account id from SS58 (or 0x hex, below).
		(TypeDef::Composite(_), Json::String(s))
			if last == Some("AccountId32") && !s.starts_with("0x") =>
		{
			let account: crate::AccountId = s.parse().map_err(|e| JsonTypeError {
				path: path.into(),
				message: format!("account {s:?}: {e:?}"),
			})?;
			Ok(Value::unnamed_composite(vec![Value::from_bytes(account.0)]))
		},
		// `MultiAddress` given as an account: its `Id`.
		(TypeDef::Variant(v), Json::String(s))
			if last == Some("MultiAddress") && !v.variants.iter().any(|x| &x.name == s) =>
		{
			let id_variant = v.variants.iter().find(|x| x.name == "Id");
			let Some(id_ty) = id_variant.and_then(|x| x.fields.first()) else {
				return fail(path, "no Id variant");
			};
			Ok(Value::unnamed_variant("Id", vec![to_value(json, id_ty.ty.id, types, path)?]))
		},
		(TypeDef::Composite(c), _) => Ok(Value {
			value: ValueDef::Composite(fields_value(json, &c.fields, types, path)?),
			context: (),
		}),
		(TypeDef::Variant(v), Json::String(name)) => {
			match v.variants.iter().find(|x| &x.name == name) {
				Some(x) if x.fields.is_empty() => {
					Ok(Value::unnamed_variant(name.clone(), Vec::<Value<()>>::new()))
				},
				Some(_) => fail(path, format!("{name} has fields: give {{\"{name}\": …}}")),
				None => fail(path, format!("no variant {name:?} (one of {})", names(&v.variants))),
			}
		},
		(TypeDef::Variant(v), Json::Object(map)) if map.len() == 1 => {
			let (name, inner) = map.iter().next().expect("one entry");
			let Some(x) = v.variants.iter().find(|x| &x.name == name) else {
				return fail(path, format!("no variant {name:?} (one of {})", names(&v.variants)));
			};
			let fields = fields_value(inner, &x.fields, types, &format!("{path}.{name}"))?;
			Ok(Value {
				value: ValueDef::Variant(scale_value::Variant {
					name: name.clone(),
					values: fields,
				}),
				context: (),
			})
		},
		(TypeDef::Variant(v), _) => fail(
			path,
			format!("expected \"Name\" or {{\"Name\": …}} (one of {})", names(&v.variants)),
		),
		(TypeDef::Sequence(s), _) => sequence(json, s.type_param.id, None, types, path),
		(TypeDef::Array(a), _) => {
			sequence(json, a.type_param.id, Some(a.len as usize), types, path)
		},
		(TypeDef::Tuple(t), Json::Array(items)) if items.len() == t.fields.len() => {
			Ok(Value::unnamed_composite(
				items
					.iter()
					.zip(&t.fields)
					.enumerate()
					.map(|(i, (v, f))| to_value(v, f.id, types, &format!("{path}[{i}]")))
					.collect::<Result<Vec<_>, _>>()?,
			))
		},
		(TypeDef::Tuple(t), Json::Null) if t.fields.is_empty() => {
			Ok(Value::unnamed_composite(Vec::<Value<()>>::new()))
		},
		(TypeDef::Tuple(t), _) => {
			fail(path, format!("expected an array of {} values", t.fields.len()))
		},
		(TypeDef::Compact(c), _) => to_value(json, c.type_param.id, types, path),
		(TypeDef::Primitive(p), _) => primitive(json, p, path),
		(TypeDef::BitSequence(_), _) => fail(path, "bit sequences are not supported"),
	}
}

fn names(variants: &[scale_info::Variant<PortableForm>]) -> String {
	variants.iter().map(|v| v.name.as_str()).collect::<Vec<_>>().join(", ")
}

/// A sequence or array: an array of values, or for bytes `0x…` hex or text.
fn sequence(
	json: &Json,
	elem: u32,
	len: Option<usize>,
	types: &PortableRegistry,
	path: &str,
) -> Result<Value<()>, JsonTypeError> {
	let value = match json {
		Json::String(s) if is_u8(elem, types) => {
			let bytes = match s.strip_prefix("0x") {
				Some(h) => hex::decode(h).map_err(|e| JsonTypeError {
					path: path.into(),
					message: format!("hex: {e}"),
				})?,
				None => s.as_bytes().to_vec(),
			};
			if let Some(n) = len.filter(|n| *n != bytes.len()) {
				return fail(path, format!("expected {n} bytes, got {}", bytes.len()));
			}
			return Ok(Value::from_bytes(bytes));
		},
		Json::Array(items) => {
			if let Some(n) = len.filter(|n| *n != items.len()) {
				return fail(path, format!("expected {n} values, got {}", items.len()));
			}
			items
				.iter()
				.enumerate()
				.map(|(i, v)| to_value(v, elem, types, &format!("{path}[{i}]")))
				.collect::<Result<Vec<_>, _>>()?
		},
		_ => return fail(path, "expected an array (or 0x… hex / text for bytes)"),
	};
	Ok(Value::unnamed_composite(value))
}

fn primitive(json: &Json, p: &TypeDefPrimitive, path: &str) -> Result<Value<()>, JsonTypeError> {
	use TypeDefPrimitive as P;
	let integer = |signed: bool| -> Result<Value<()>, JsonTypeError> {
		let text = match json {
			Json::Number(n) => n.to_string(),
			Json::String(s) => s.clone(),
			_ => return fail(path, "expected an integer (number or decimal string)"),
		};
		if signed {
			text.parse::<i128>()
				.map(Value::i128)
				.map_err(|e| JsonTypeError { path: path.into(), message: format!("{text:?}: {e}") })
		} else {
			text.parse::<u128>()
				.map(Value::u128)
				.map_err(|e| JsonTypeError { path: path.into(), message: format!("{text:?}: {e}") })
		}
	};
	match (p, json) {
		(P::Bool, Json::Bool(b)) => Ok(Value::bool(*b)),
		(P::Str, Json::String(s)) => Ok(Value::string(s.clone())),
		(P::Char, Json::String(s)) if s.chars().count() == 1 => {
			Ok(Value::char(s.chars().next().expect("one char")))
		},
		(P::U8 | P::U16 | P::U32 | P::U64 | P::U128, _) => integer(false),
		(P::I8 | P::I16 | P::I32 | P::I64 | P::I128, _) => integer(true),
		(other, _) => fail(path, format!("expected a {other:?}")),
	}
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
