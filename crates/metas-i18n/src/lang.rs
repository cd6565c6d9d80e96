//! The languages, their tags, and the choice among them.

/// A language of metas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Es,
    Fr,
    Pt,
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 5] = [Lang::En, Lang::Es, Lang::Fr, Lang::Pt, Lang::ZhCn];

    /// The BCP 47 tag (`<html lang>`, the user setting, the cookie).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::Pt => "pt",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's own name, as the switcher shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
            Lang::Fr => "Français",
            Lang::Pt => "Português",
            Lang::ZhCn => "简体中文",
        }
    }

    /// Reads a tag or a browser's language range: `es`, `es-MX`, `pt-BR`,
    /// `zh`, `zh-Hans-CN`… (Traditional Chinese is not offered as Simplified).
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        match primary {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            "fr" => Some(Lang::Fr),
            "pt" => Some(Lang::Pt),
            "zh" if tag.contains("hant") || tag.ends_with("-tw") || tag.ends_with("-hk") => None,
            "zh" => Some(Lang::ZhCn),
            _ => None,
        }
    }

    /// The best of our languages for an Accept-Language header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, usize, Lang)> = None;
        for (i, part) in header.split(',').enumerate() {
            let mut pieces = part.split(';');
            let range = pieces.next().unwrap_or("").trim();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .filter_map(|q| q.trim().parse::<f32>().ok())
                .next()
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            if let Some(lang) = Lang::parse(range) {
                // Higher quality first; among equals, the earlier one.
                if best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
                    best = Some((q, i, lang));
                }
            }
        }
        best.map(|(_, _, l)| l)
    }

    /// The switcher's choices: (tag, own name, whether it is `self`).
    pub fn choices(self) -> Vec<(&'static str, &'static str, bool)> {
        Lang::ALL
            .iter()
            .map(|l| (l.tag(), l.own_name(), *l == self))
            .collect()
    }

    /// The position in [`Lang::ALL`].
    pub(crate) fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Es => 1,
            Lang::Fr => 2,
            Lang::Pt => 3,
            Lang::ZhCn => 4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported() {
        let cases: &[(&str, Option<Lang>)] = &[
            ("es-MX,es;q=0.9,en;q=0.8", Some(Lang::Es)),
            ("de-DE,de;q=0.9,fr;q=0.5,en;q=0.4", Some(Lang::Fr)),
            ("zh-CN,zh;q=0.9", Some(Lang::ZhCn)),
            ("zh-TW", None),
            ("pt-BR", Some(Lang::Pt)),
            ("en;q=0.1, pt;q=0.9", Some(Lang::Pt)),
            ("fr;q=0, en", Some(Lang::En)),
            ("de", None),
            ("", None),
        ];
        for (header, want) in cases {
            assert_eq!(Lang::from_accept_language(header), *want, "{header}");
        }
    }

    #[test]
    fn tags_read_back_and_index_follows_all() {
        for (i, lang) in Lang::ALL.into_iter().enumerate() {
            assert_eq!(Lang::parse(lang.tag()), Some(lang));
            assert_eq!(lang.index(), i);
        }
        let chosen: Vec<_> = Lang::Fr
            .choices()
            .into_iter()
            .filter(|c| c.2)
            .map(|c| c.0)
            .collect();
        assert_eq!(chosen, ["fr"]);
    }
}
