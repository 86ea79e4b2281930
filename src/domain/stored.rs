//! States kept in the database as short English words (`"signed"`, `"pending"`): one macro
//! gives each such enum the same shape, so no state is ever compared as a string.

/// Declares an enum stored as text, with
/// - `ALL`: every value, in declaration order;
/// - `as_str()`: the stored word (a `const fn`, usable in queries);
/// - `parse(&str) -> Option<Self>`: the value a word names, `None` for any other text;
/// - `TryFrom<String>`: for row fields read as `String` (`deserialize_as`), where text this
///   version never writes is an error, not a guess;
/// - `Display`, `serde::Serialize` and `serde::Deserialize` as the stored word.
macro_rules! stored_as_text {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident => $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$variant_meta])* $variant ),+
        }

        impl $name {
            /// Every value, in the order declared.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The word stored in the database and shown in the API.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $text ),+
                }
            }

            /// The value stored as `raw`; `None` for text this version never writes.
            pub fn parse(raw: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.as_str() == raw)
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(raw: String) -> Result<Self, Self::Error> {
                Self::parse(&raw)
                    .ok_or_else(|| format!("unknown {} {raw:?}", stringify!($name)))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(deserializer)?;
                Self::try_from(raw).map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use stored_as_text;
