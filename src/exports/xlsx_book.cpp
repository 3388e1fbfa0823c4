#include "exports/xlsx_book.h"

#include <fmt/format.h>

#include <algorithm>

namespace clusterscope::exports {

size_t CellWidth(std::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    width += len >= 3 ? 2 : 1;  // three- and four-byte sequences are CJK, full-width or symbols here
    i += len;
  }
  return width;
}

Result<Book> Book::Create(const std::string& path) {
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (wb == nullptr) return Status::Environment(fmt::format("{}: cannot create the workbook", path));
  return Book(path, wb);
}

Book::Book(std::string path, lxw_workbook* wb) : path_(std::move(path)), wb_(wb) {
  bold_ = workbook_add_format(wb_);
  format_set_bold(bold_);
  format_set_bg_color(bold_, 0xEEF1F5);
  format_set_bottom(bold_, LXW_BORDER_THIN);
  wrap_ = workbook_add_format(wb_);
  format_set_text_wrap(wrap_);
  format_set_align(wrap_, LXW_ALIGN_VERTICAL_TOP);
  const char* codes[] = {"#,##0", "#,##0.00", "0.0%", "0.00", "0"};
  for (int i = 0; i < 5; ++i) {
    formats_[i] = workbook_add_format(wb_);
    format_set_num_format(formats_[i], codes[i]);
  }
}

Book::Book(Book&& other) noexcept
    : path_(std::move(other.path_)),
      wb_(other.wb_),
      bold_(other.bold_),
      wrap_(other.wrap_),
      sheets_(std::move(other.sheets_)) {
  std::copy(std::begin(other.formats_), std::end(other.formats_), formats_);
  other.wb_ = nullptr;
  for (auto& s : sheets_) s->book_ = this;
}

Book::~Book() {
  if (wb_ != nullptr) workbook_close(wb_);  // an unclosed book is still freed (and written)
}

lxw_format* Book::Format(NumberStyle style) {
  return style == NumberStyle::kGeneral ? nullptr : formats_[static_cast<int>(style)];
}

Sheet& Book::AddSheet(const std::string& name) {
  lxw_worksheet* ws = workbook_add_worksheet(wb_, name.c_str());
  sheets_.push_back(std::unique_ptr<Sheet>(new Sheet(this, ws)));
  return *sheets_.back();
}

Status Book::Close() {
  for (auto& s : sheets_) s->FitColumns();
  const lxw_error err = workbook_close(wb_);
  wb_ = nullptr;
  if (err != LXW_NO_ERROR) {
    return Status::Environment(fmt::format("{}: cannot write the workbook ({})", path_, lxw_strerror(err)));
  }
  return Status::Ok();
}

void Sheet::Track(uint16_t col, size_t width) {
  if (widths_.size() <= col) widths_.resize(col + 1u, 6);
  widths_[col] = std::max(widths_[col], width);
}

void Sheet::Header(const std::vector<std::string>& cells) {
  for (size_t c = 0; c < cells.size(); ++c) {
    worksheet_write_string(ws_, 0, static_cast<lxw_col_t>(c), cells[c].c_str(), book_->bold_);
    Track(static_cast<uint16_t>(c), CellWidth(cells[c]));
  }
  worksheet_freeze_panes(ws_, 1, 0);
}

void Sheet::Text(uint32_t row, uint16_t col, std::string_view text, bool wrap) {
  const std::string s(text);
  worksheet_write_string(ws_, row, col, s.c_str(), wrap ? book_->wrap_ : nullptr);
  Track(col, wrap ? 60 : CellWidth(s));
}

void Sheet::Number(uint32_t row, uint16_t col, std::optional<double> value, NumberStyle style) {
  if (!value) return;  // missing stays empty, never 0
  worksheet_write_number(ws_, row, col, *value, book_->Format(style));
  Track(col, fmt::format("{:.2f}", *value).size() + 3);
}

void Sheet::FitColumns() {
  for (size_t c = 0; c < widths_.size(); ++c) {
    worksheet_set_column(ws_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                         static_cast<double>(std::min<size_t>(widths_[c], 60) + 2), nullptr);
  }
}

}  // namespace clusterscope::exports
