//! The errors of a form shown beside their fields: each refused field with its message, read
//! by the templates with `error("field")` to mark the input (`aria-invalid`) and show the
//! message under it.

use crate::domain::{FieldError, InvalidInput};

/// The refused fields of one form, in the order they were checked.
#[derive(Default, Clone, Debug)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// The parsed value, or `None` with the field's message noted.
    pub fn check<T>(&mut self, field: &'static str, parsed: Result<T, InvalidInput>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(problem) => {
                self.add(field, problem);
                None
            }
        }
    }

    /// Notes why `field` was refused; the first reason of a field is the one shown.
    pub fn add(&mut self, field: &'static str, problem: InvalidInput) {
        if self.error(field).is_none() {
            self.0.push(FieldError {
                field,
                message: sentence(&problem.0),
            });
        }
    }

    /// Why this field was refused, if it was.
    pub fn error(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// The refused fields, in the order they were checked.
    pub fn fields(&self) -> Vec<&'static str> {
        self.0.iter().map(|e| e.field).collect()
    }

    /// Whether no field was refused.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<FieldError>> for FieldErrors {
    fn from(errors: Vec<FieldError>) -> Self {
        let mut all = Self::default();
        for e in errors {
            all.add(e.field, InvalidInput(e.message));
        }
        all
    }
}

/// A message as it is shown: its first letter a capital.
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_reason_of_each_field_is_kept_as_a_sentence() {
        let mut errors = FieldErrors::default();
        assert_eq!(errors.check("name", Ok::<_, InvalidInput>(3)), Some(3));
        assert!(errors.is_empty());
        assert_eq!(
            errors.check::<()>("name", Err(InvalidInput::new("the name is required"))),
            None
        );
        errors.add("name", InvalidInput::new("another reason"));
        assert_eq!(errors.error("name"), Some("The name is required"));
        assert_eq!(errors.error("email"), None);
        assert_eq!(sentence("élan"), "Élan");
        assert_eq!(sentence(""), "");
    }
}
