//! The Country/Region select of the ISV business information: ISO 3166-1 alpha-2 codes with
//! their English and Chinese names, as data, so the page lists them and the server checks
//! against the same list. Sorted by English name, the order the select shows.

use crate::i18n::Lang;

/// One choice of the Country/Region select.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountryRegion {
    /// ISO 3166-1 alpha-2, upper case: what the form sends and the database stores.
    pub code: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

impl CountryRegion {
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

macro_rules! list {
    ($($code:literal $en:literal $zh:literal,)*) => {
        &[$(CountryRegion { code: $code, en: $en, zh: $zh }),*]
    };
}

/// Every country or region a company can be registered in, for the select.
pub const COUNTRIES_REGIONS: &[CountryRegion] = list![
    "AR" "Argentina" "阿根廷",
    "AU" "Australia" "澳大利亚",
    "AT" "Austria" "奥地利",
    "BH" "Bahrain" "巴林",
    "BD" "Bangladesh" "孟加拉国",
    "BE" "Belgium" "比利时",
    "BR" "Brazil" "巴西",
    "BN" "Brunei" "文莱",
    "KH" "Cambodia" "柬埔寨",
    "CA" "Canada" "加拿大",
    "CL" "Chile" "智利",
    "CN" "China" "中国",
    "CO" "Colombia" "哥伦比亚",
    "CZ" "Czechia" "捷克",
    "DK" "Denmark" "丹麦",
    "EG" "Egypt" "埃及",
    "FI" "Finland" "芬兰",
    "FR" "France" "法国",
    "DE" "Germany" "德国",
    "GR" "Greece" "希腊",
    "HK" "Hong Kong, China" "中国香港",
    "HU" "Hungary" "匈牙利",
    "IN" "India" "印度",
    "ID" "Indonesia" "印度尼西亚",
    "IE" "Ireland" "爱尔兰",
    "IL" "Israel" "以色列",
    "IT" "Italy" "意大利",
    "JP" "Japan" "日本",
    "JO" "Jordan" "约旦",
    "KZ" "Kazakhstan" "哈萨克斯坦",
    "KE" "Kenya" "肯尼亚",
    "KW" "Kuwait" "科威特",
    "LA" "Laos" "老挝",
    "LU" "Luxembourg" "卢森堡",
    "MO" "Macao, China" "中国澳门",
    "MY" "Malaysia" "马来西亚",
    "MX" "Mexico" "墨西哥",
    "MN" "Mongolia" "蒙古",
    "MA" "Morocco" "摩洛哥",
    "MM" "Myanmar" "缅甸",
    "NP" "Nepal" "尼泊尔",
    "NL" "Netherlands" "荷兰",
    "NZ" "New Zealand" "新西兰",
    "NG" "Nigeria" "尼日利亚",
    "NO" "Norway" "挪威",
    "OM" "Oman" "阿曼",
    "PK" "Pakistan" "巴基斯坦",
    "PE" "Peru" "秘鲁",
    "PH" "Philippines" "菲律宾",
    "PL" "Poland" "波兰",
    "PT" "Portugal" "葡萄牙",
    "QA" "Qatar" "卡塔尔",
    "RO" "Romania" "罗马尼亚",
    "RU" "Russia" "俄罗斯",
    "SA" "Saudi Arabia" "沙特阿拉伯",
    "SG" "Singapore" "新加坡",
    "ZA" "South Africa" "南非",
    "KR" "South Korea" "韩国",
    "ES" "Spain" "西班牙",
    "LK" "Sri Lanka" "斯里兰卡",
    "SE" "Sweden" "瑞典",
    "CH" "Switzerland" "瑞士",
    "TW" "Taiwan, China" "中国台湾",
    "TH" "Thailand" "泰国",
    "TR" "Türkiye" "土耳其",
    "AE" "United Arab Emirates" "阿拉伯联合酋长国",
    "GB" "United Kingdom" "英国",
    "US" "United States" "美国",
    "UZ" "Uzbekistan" "乌兹别克斯坦",
    "VN" "Vietnam" "越南",
];

/// The country or region with this code (any case, surrounding spaces ignored).
pub fn find(code: &str) -> Option<&'static CountryRegion> {
    let code = code.trim();
    COUNTRIES_REGIONS
        .iter()
        .find(|country| country.code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_list_has_unique_two_letter_codes_and_both_names() {
        assert!(COUNTRIES_REGIONS.len() >= 60);
        let mut codes = HashSet::new();
        for country in COUNTRIES_REGIONS {
            assert!(
                country.code.len() == 2 && country.code.bytes().all(|b| b.is_ascii_uppercase()),
                "{country:?}"
            );
            assert!(codes.insert(country.code), "duplicate {}", country.code);
            assert!(
                !country.en.is_empty() && !country.zh.is_ascii(),
                "{country:?}"
            );
        }
    }

    #[test]
    fn the_list_is_sorted_by_english_name() {
        let names: Vec<&str> = COUNTRIES_REGIONS.iter().map(|c| c.en).collect();
        let mut sorted = names.clone();
        sorted.sort_by_key(|name| name.to_lowercase());
        assert_eq!(names, sorted);
    }

    #[test]
    fn codes_are_found_in_any_case_and_unknown_ones_are_not() {
        assert_eq!(find("CN").unwrap().zh, "中国");
        assert_eq!(find(" hk ").unwrap().zh, "中国香港");
        assert_eq!(find("sg").unwrap().name(Lang::Zh), "新加坡");
        assert_eq!(find("US").unwrap().name(Lang::En), "United States");
        assert!(find("XX").is_none());
        assert!(find("").is_none());
        assert!(find("CHN").is_none());
    }
}
