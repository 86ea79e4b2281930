//! Typed ids for the rows that travel together: a letter, its invitations and the address
//! book's organizations. Each is a UUID in text form; a function that wants a letter's id takes
//! a `LetterId`, so an invitation's id cannot be passed in its place.

macro_rules! typed_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A new random id (UUID v4) for a row about to be written.
            pub fn generate() -> Self {
                Self(uuid::Uuid::new_v4().to_string())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        /// An id read from storage or taken from a URL; an id that names no row finds nothing.
        impl From<String> for $name {
            fn from(raw: String) -> Self {
                Self(raw)
            }
        }

        impl From<&str> for $name {
            fn from(raw: &str) -> Self {
                Self(raw.to_string())
            }
        }

        /// Reads as the text it is, for queries and links.
        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

typed_id!(
    /// The id of a letter (`letters.id`).
    LetterId
);
typed_id!(
    /// The id of an invitation of one organization to one letter (`invitations.id`).
    InvitationId
);
typed_id!(
    /// The id of an organization of the address book (`organizations.id`).
    OrganizationId
);
