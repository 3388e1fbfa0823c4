// Text handling as Chinese spreadsheets need it: trimming (including the full-width space),
// full-width → half-width folding, Traditional → Simplified names, bracket unification.
#pragma once

#include <string>
#include <string_view>

#include "clusterscope/status.h"

namespace clusterscope::text {

// Removes leading and trailing ASCII whitespace, U+3000 (ideographic space) and U+00A0.
std::string_view Trim(std::string_view s);

// NFKC: full-width letters, digits and punctuation become their half-width forms
// ("１２３" → "123", "（" → "("). Invalid UTF-8 is returned unchanged.
std::string FoldWidth(std::string_view s);

// The form under which a firm, cluster or institution name is stored and compared:
// Traditional → Simplified Chinese (OpenCC t2s), NFKC, every bracket style (（）【】〔〕［］)
// unified to "(" ")", whitespace runs collapsed to one ASCII space, and whitespace next to a
// CJK character or a bracket removed (Chinese names carry no spaces; a space there is a typing
// slip), then trimmed. Idempotent.
std::string NormaliseName(std::string_view s);

// The form under which a header cell is matched: trimmed, NFKC, brackets unified, lower-cased
// ASCII, inner whitespace removed ("Revenue （万元）" → "revenue(万元)").
std::string NormaliseHeader(std::string_view s);

// At most `max_bytes` of `value` (cut at a character boundary, "…" added when cut), with invalid
// UTF-8 bytes and control characters (C0, DEL, C1) written as \xHH: safe to show, to keep in a
// problem and to write as JSON or CSV.
std::string Printable(std::string_view value, size_t max_bytes);

// True for code points in the CJK ideograph blocks.
bool IsCjk(char32_t cp);

// `s` with & < > " escaped as entities: safe inside XML and HTML text and attribute values (the
// brief's HTML and SVG, the Word document's XML, the place plots).
std::string XmlEscape(std::string_view s);

}  // namespace clusterscope::text
