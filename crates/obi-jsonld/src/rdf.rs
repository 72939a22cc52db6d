//! RDF terms and quads, and their canonical N-Quads form (RDF 1.2 N-Quads canonical form, as RDFC-1.0
//! and rdf-canonize write it).

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

/// Well-known datatype IRIs.
pub mod xsd {
    /// `xsd:string`, the datatype of plain literals (not written in N-Quads).
    pub const STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
    /// `xsd:boolean`.
    pub const BOOLEAN: &str = "http://www.w3.org/2001/XMLSchema#boolean";
    /// `xsd:integer`.
    pub const INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";
    /// `xsd:double`.
    pub const DOUBLE: &str = "http://www.w3.org/2001/XMLSchema#double";
    /// `rdf:langString`, the datatype of language-tagged literals.
    pub const LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
    /// `rdf:JSON`, the datatype of `@json` literals.
    pub const JSON: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";
    /// `rdf:type`.
    pub const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    /// `rdf:first`.
    pub const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
    /// `rdf:rest`.
    pub const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
    /// `rdf:nil`.
    pub const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
}

/// A literal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Literal {
    /// The lexical form.
    pub value: String,
    /// The datatype IRI (`rdf:langString` when `language` is set).
    pub datatype: Arc<str>,
    /// The language tag, if any.
    pub language: Option<String>,
}

/// An RDF term.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    /// An absolute IRI.
    Iri(Arc<str>),
    /// A blank node, by its label (without `_:`).
    Blank(Arc<str>),
    /// A literal.
    Literal(Literal),
}

impl Term {
    /// The blank node label, if this is a blank node.
    pub fn blank(&self) -> Option<&str> {
        match self {
            Term::Blank(b) => Some(b),
            _ => None,
        }
    }

    /// A plain (`xsd:string`) literal.
    pub fn string(value: impl Into<String>) -> Term {
        Term::Literal(Literal {
            value: value.into(),
            datatype: shared_iri(xsd::STRING),
            language: None,
        })
    }

    /// An IRI term.
    pub fn iri(iri: &str) -> Term {
        Term::Iri(Arc::from(iri))
    }

    /// Append the N-Quads form; a blank node is written as `_:` + `label(b)`.
    pub(crate) fn write_with<'a>(&'a self, out: &mut String, label: &impl Fn(&'a str) -> &'a str) {
        match self {
            Term::Iri(i) => {
                out.push('<');
                out.push_str(i);
                out.push('>');
            }
            Term::Blank(b) => {
                out.push_str("_:");
                out.push_str(label(b));
            }
            Term::Literal(l) => {
                out.push('"');
                escape_into(&l.value, out);
                out.push('"');
                if let Some(lang) = &l.language {
                    out.push('@');
                    out.push_str(lang);
                } else if &*l.datatype != xsd::STRING {
                    out.push_str("^^<");
                    out.push_str(&l.datatype);
                    out.push('>');
                }
            }
        }
    }
}

/// A quad; `graph` is `None` in the default graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quad {
    /// Subject: an IRI or a blank node.
    pub subject: Term,
    /// Predicate IRI.
    pub predicate: Arc<str>,
    /// Object.
    pub object: Term,
    /// Graph name: an IRI or a blank node.
    pub graph: Option<Term>,
}

impl Quad {
    /// One N-Quads line (with its newline), blank nodes relabelled by `label`.
    pub(crate) fn write_with<'a>(&'a self, out: &mut String, label: &impl Fn(&'a str) -> &'a str) {
        self.subject.write_with(out, label);
        out.push_str(" <");
        out.push_str(&self.predicate);
        out.push_str("> ");
        self.object.write_with(out, label);
        if let Some(g) = &self.graph {
            out.push(' ');
            g.write_with(out, label);
        }
        out.push_str(" .\n");
    }

    /// The blank nodes among subject, object and graph.
    pub(crate) fn blanks(&self) -> impl Iterator<Item = &str> {
        [Some(&self.subject), Some(&self.object), self.graph.as_ref()]
            .into_iter()
            .flatten()
            .filter_map(Term::blank)
    }
}

/// N-Quads of `quads` in their given order, blank node labels as they are.
pub fn nquads(quads: &[Quad]) -> String {
    let mut out = String::new();
    for q in quads {
        q.write_with(&mut out, &|b| b);
    }
    out
}

/// One shared allocation for each of the few IRIs written on most literals and type statements.
pub(crate) fn shared_iri(iri: &'static str) -> Arc<str> {
    static SHARED: OnceLock<[Arc<str>; 6]> = OnceLock::new();
    let all = SHARED.get_or_init(|| {
        [
            xsd::STRING,
            xsd::BOOLEAN,
            xsd::INTEGER,
            xsd::DOUBLE,
            xsd::RDF_TYPE,
            xsd::LANG_STRING,
        ]
        .map(Arc::from)
    });
    all.iter()
        .find(|a| &***a == iri)
        .cloned()
        .unwrap_or_else(|| Arc::from(iri))
}

/// Escape a literal's lexical form as canonical N-Quads does: `\" \\ \n \r \t \b \f` by name, other
/// control characters and DEL as `\uXXXX`.
fn escape_into(s: &str, out: &mut String) {
    if !s
        .bytes()
        .any(|b| b < 0x20 || b == b'"' || b == b'\\' || b == 0x7f)
    {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_canonically() {
        let mut out = String::new();
        escape_into("a\"b\\c\nd\re\tf\u{8}g\u{c}h\u{1}i\u{7f}j é", &mut out);
        assert_eq!(out, "a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u007Fj é");
    }

    #[test]
    fn quad_lines() {
        let q = Quad {
            subject: Term::Blank("x".into()),
            predicate: "http://ex/p".into(),
            object: Term::Literal(Literal {
                value: "1".into(),
                datatype: xsd::INTEGER.into(),
                language: None,
            }),
            graph: Some(Term::iri("http://ex/g")),
        };
        assert_eq!(
            nquads(&[q]),
            "_:x <http://ex/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> <http://ex/g> .\n"
        );
    }
}
