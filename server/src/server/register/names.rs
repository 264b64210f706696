//! Stored names: the `stable_names!` macro every stored state and event kind is declared with,
//! and the error for a name no enum knows. Its own file so that the states and the audit trail
//! (which both declare names, and the states name the audit events their changes write) do not
//! import each other.

/// A closed set of stored names: the enum, its serde names, `as_str`, `ALL`, and decoding from
/// the stored text (`TryFrom<String>`, since sqlx's Any driver decodes TEXT only as strings).
macro_rules! stable_names {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub(crate) enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            #[cfg(test)]
            pub(crate) const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stored name.
            pub(crate) fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The value of a stored name.
            pub(crate) fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::server::register::names::UnknownName;
            fn try_from(text: String) -> Result<Self, Self::Error> {
                $name::parse(&text).ok_or_else(|| {
                    $crate::server::register::names::UnknownName(format!(
                        concat!("unknown ", stringify!($name), " {:?}"),
                        text
                    ))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use stable_names;

/// A stored name no enum knows: the database holds something the code does not (a CHECK
/// constraint was bypassed, or an older binary reads a newer database).
#[derive(Debug)]
pub(crate) struct UnknownName(pub(crate) String);

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UnknownName {}

impl From<UnknownName> for super::error::RegisterError {
    fn from(error: UnknownName) -> Self {
        super::error::RegisterError::storage(error)
    }
}
