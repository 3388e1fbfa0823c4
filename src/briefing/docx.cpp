// BriefDocx: the briefing as a Word document, OOXML written directly (WordprocessingML parts
// zipped with libzip): title, headings, prose, each cluster's figure table and its charts as PNG
// images, on A4 with Chinese fonts named for East Asian text.
#include <fmt/format.h>
#include <unistd.h>
#include <zip.h>

#include <deque>
#include <filesystem>
#include <fstream>

#include "briefing/chart_png.h"
#include "briefing/style.h"
#include "clusterscope/briefing.h"
#include "core/text.h"

namespace clusterscope {
namespace {

// A4 in twentieths of a point, with 2.2 cm side margins; the text width in EMU for images.
constexpr int kPageW = 11906;
constexpr int kPageH = 16838;
constexpr int kMarginSide = 1247;
constexpr int kMarginTopBottom = 1440;
constexpr int64_t kTextWidthEmu = static_cast<int64_t>(kPageW - 2 * kMarginSide) * 635;

constexpr const char* kContentTypes = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>
)";

constexpr const char* kRootRels = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>
)";

// Body text in 宋体 (SimSun), headings in 黑体 (SimHei), as Chinese official documents are set;
// where those are missing (Linux), WenQuanYi Zen Hei is named as the alternative.
std::string Styles(bool zh) {
  const char* body_ea = zh ? "SimSun" : "WenQuanYi Zen Hei";
  return fmt::format(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Liberation Serif" w:hAnsi="Liberation Serif" w:eastAsia="{0}" w:cs="Liberation Serif"/><w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="{1}" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="360" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>{2}</w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="center"/><w:spacing w:before="240" w:after="360"/><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr><w:rPr><w:rFonts w:ascii="Liberation Sans" w:hAnsi="Liberation Sans" w:eastAsia="SimHei"/><w:b/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:ascii="Liberation Sans" w:hAnsi="Liberation Sans" w:eastAsia="SimHei"/><w:b/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="center"/><w:spacing w:after="240"/><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TableCaption"><w:name w:val="Table Caption"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:jc w:val="center"/><w:spacing w:before="120" w:after="60"/><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="left"/><w:spacing w:after="0" w:line="280" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr><w:rPr><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Figure"><w:name w:val="Figure"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:jc w:val="center"/><w:spacing w:before="120" w:after="0"/><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr></w:style>
</w:styles>
)",
                     body_ea, "en-GB",
                     zh ? R"(<w:pPr><w:ind w:firstLineChars="200" w:firstLine="480"/><w:jc w:val="both"/></w:pPr>)"
                        : R"(<w:pPr><w:jc w:val="both"/></w:pPr>)");
}

std::string Paragraph(std::string_view style, std::string_view text) {
  std::string p = "<w:p>";
  if (!style.empty()) p += fmt::format(R"(<w:pPr><w:pStyle w:val="{}"/></w:pPr>)", style);
  return p + fmt::format(R"(<w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>)", text::XmlEscape(text));
}

// A cell; `keep` holds its row on the page with the next, so a short table is never split.
std::string Cell(std::string_view text, int width, bool header, bool right, bool keep) {
  return fmt::format(
      R"(<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/>{}</w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/>{}{}</w:pPr><w:r>{}<w:t xml:space="preserve">{}</w:t></w:r></w:p></w:tc>)",
      width, header ? R"(<w:shd w:val="clear" w:color="auto" w:fill="EDEDED"/>)" : "", keep ? "<w:keepNext/>" : "",
      right ? R"(<w:jc w:val="right"/>)" : "", header ? "<w:rPr><w:b/></w:rPr>" : "", text::XmlEscape(text));
}

// A two- or three-column table with a repeated bold header row.
std::string Table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  const int total = kPageW - 2 * kMarginSide;
  std::vector<int> widths;
  if (header.size() == 2)
    widths = {total * 6 / 10, total - total * 6 / 10};
  else {
    // The label gets 40%, the values share the rest (room for "135,325 yuan per employee").
    const int rest = total * 6 / 10;
    for (size_t i = 0; i < header.size(); ++i)
      widths.push_back(i == 0 ? total - rest : rest / static_cast<int>(header.size() - 1));
  }
  std::string t =
      R"(<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="8" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/></w:tblBorders><w:tblCellMar><w:left w:w="100" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>)";
  for (int w : widths) t += fmt::format(R"(<w:gridCol w:w="{}"/>)", w);
  t += "</w:tblGrid>";
  t += R"(<w:tr><w:trPr><w:tblHeader/></w:trPr>)";
  for (size_t i = 0; i < header.size(); ++i) t += Cell(header[i], widths[i], true, i > 0, true);
  t += "</w:tr>";
  for (size_t r = 0; r < rows.size(); ++r) {
    t += R"(<w:tr><w:trPr><w:cantSplit/></w:trPr>)";
    for (size_t i = 0; i < rows[r].size() && i < widths.size(); ++i) {
      t += Cell(rows[r][i], widths[i], false, i > 0, r + 1 < rows.size());
    }
    t += "</w:tr>";
  }
  return t + "</w:tbl>" + Paragraph("TableText", "");
}

std::string Image(const std::string& rel_id, int id, const briefing::Png& png, std::string_view name) {
  const int64_t cx = kTextWidthEmu;
  const int64_t cy = png.width_px > 0 ? cx * png.height_px / png.width_px : cx / 2;
  return fmt::format(
      R"(<w:p><w:pPr><w:pStyle w:val="Figure"/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{0}" cy="{1}"/><wp:docPr id="{2}" name="{3}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="{2}" name="{3}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{4}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{0}" cy="{1}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>)",
      cx, cy, id, text::XmlEscape(name), rel_id);
}

// The report's seven figures, as the catalogue computes them, with their units.
constexpr const char* kFigureIds[] = {"firm_count",
                                      "zone_producing_firm_share",
                                      "gross_output",
                                      "gross_output_growth",
                                      "zone_gross_output_share",
                                      "leading_industry_va_share",
                                      "firms_output_over_100m"};

class DocxBuilder {
 public:
  explicit DocxBuilder(Lang lang) : lang_(lang), zh_(lang == Lang::kZh) {}

  void Add(const std::string& xml) { body_ += xml; }

  void Figure(const briefing::Png& png, std::string_view zh_caption, std::string_view en_caption) {
    if (png.bytes.empty()) return;
    ++figures_;
    const std::string file = fmt::format("chart{}.png", figures_);
    const std::string rel = fmt::format("rIdImg{}", figures_);
    media_.push_back({file, png.bytes});
    rels_ += fmt::format(
        R"(<Relationship Id="{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/{}"/>)",
        rel, file);
    const std::string caption =
        zh_ ? fmt::format("图{} {}", figures_, zh_caption) : fmt::format("Figure {}. {}", figures_, en_caption);
    Add(Image(rel, figures_, png, caption));
    Add(Paragraph("Caption", caption));
  }

  void TableCaption(std::string_view zh_caption, std::string_view en_caption) {
    ++tables_;
    Add(Paragraph("TableCaption", zh_ ? fmt::format("表{} {}", tables_, zh_caption)
                                      : fmt::format("Table {}. {}", tables_, en_caption)));
  }

  void ClusterExhibits(const BriefFacts& facts, const BriefCharts& charts, bool name_in_captions) {
    const std::string name =
        zh_ ? facts.cluster_name : (facts.cluster_name_en.empty() ? facts.cluster_name : facts.cluster_name_en);
    const auto caption = [&](std::string_view zh, std::string_view en) {
      return std::pair{name_in_captions ? fmt::format("{}：{}", name, zh) : std::string(zh),
                       name_in_captions ? fmt::format("{}: {}", name, en) : std::string(en)};
    };
    // The figure table.
    std::vector<std::vector<std::string>> rows;
    for (const char* id : kFigureIds) {
      for (const IndicatorValue& v : charts.catalogue) {
        if (v.indicator->id != id) continue;
        rows.push_back({std::string(zh_ ? v.indicator->zh : v.indicator->en), briefing::FormatValue(v, lang_)});
      }
    }
    if (!rows.empty()) {
      auto [czh, cen] = caption(fmt::format("{}年主要指标", facts.year), fmt::format("Main figures, {}", facts.year));
      TableCaption(czh, cen);
      Add(Table({zh_ ? "指标" : "Indicator", zh_ ? "数值" : "Value"}, rows));
    }
    // Key ratios against the median.
    std::vector<std::vector<std::string>> ratios;
    for (const auto& r : charts.peers) {
      if (!r.cluster) continue;
      ratios.push_back({zh_ ? r.zh : r.en, briefing::FormatRatio(*r.cluster, r.unit, lang_),
                        r.median ? briefing::FormatRatio(*r.median, r.unit, lang_) : ""});
    }
    if (!ratios.empty()) {
      auto [czh, cen] = caption("主要比率与全部集群中位数", "Key ratios and the median of all clusters");
      TableCaption(czh, cen);
      Add(Table(
          {zh_ ? "比率" : "Ratio", zh_ ? "本集群" : "This cluster", zh_ ? "全部集群中位数" : "Median of all clusters"},
          ratios));
    }
    {
      auto [czh, cen] = caption("工业总产值", "Gross industrial output");
      Figure(briefing::OutputChartPng(charts, lang_), czh, cen);
    }
    {
      auto [czh, cen] = caption("主要比率与全部集群中位数比较", "Key ratios against the median of all clusters");
      Figure(briefing::PeerChartPng(charts, lang_), czh, cen);
    }
    {
      auto [czh, cen] = caption("年度评价各维度得分", "Annual evaluation, score by dimension");
      Figure(briefing::DimensionChartPng(charts, lang_), czh, cen);
    }
    {
      auto [czh, cen] =
          caption("主导产业企业两两距离的核密度（Kd）与全局置信带",
                  "Density of the distances between the leading industry's firms (Kd), with the global band");
      Figure(briefing::KdChartPng(charts, lang_), czh, cen);
    }
  }

  // The whole package in memory (libzip on a growing buffer source).
  Result<std::string> Package(const std::string& title) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
    if (buffer == nullptr) return Status::Environment("the Word document: cannot create a buffer");
    zip_t* zip = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
    if (zip == nullptr) {
      zip_source_free(buffer);
      return Status::Environment("the Word document: cannot start the package");
    }
    zip_source_keep(buffer);        // read back after zip_close
    std::deque<std::string> parts;  // alive until zip_close
    const auto add = [&](const std::string& name, std::string content) -> bool {
      parts.push_back(std::move(content));
      zip_source_t* src = zip_source_buffer(zip, parts.back().data(), parts.back().size(), 0);
      if (src == nullptr) return false;
      if (zip_file_add(zip, name.c_str(), src, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) < 0) {
        zip_source_free(src);
        return false;
      }
      return true;
    };
    bool ok = add("[Content_Types].xml", kContentTypes) && add("_rels/.rels", kRootRels) &&
              add("word/styles.xml", Styles(zh_)) && add("word/document.xml", Document()) &&
              add("word/_rels/document.xml.rels",
                  R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)" +
                      rels_ + "</Relationships>\n") &&
              add("docProps/core.xml", fmt::format(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:creator>clusterscope</dc:creator><dc:language>{}</dc:language></cp:coreProperties>
)",
                                                   text::XmlEscape(title), zh_ ? "zh-CN" : "en-GB"));
    for (const auto& [file, bytes] : media_) ok = ok && add("word/media/" + file, bytes);
    if (!ok || zip_close(zip) != 0) {
      zip_discard(zip);
      zip_source_free(buffer);
      return Status::Environment("the Word document: cannot build the package");
    }
    std::string bytes;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_source_stat(buffer, &st) == 0 && zip_source_open(buffer) == 0) {
      bytes.resize(static_cast<size_t>(st.size));
      const zip_int64_t n = zip_source_read(buffer, bytes.data(), st.size);
      zip_source_close(buffer);
      if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) bytes.clear();
    }
    zip_source_free(buffer);
    if (bytes.empty()) return Status::Environment("the Word document: cannot read the package back");
    return bytes;
  }

 private:
  std::string Document() const {
    return fmt::format(
        R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>{}<w:sectPr><w:pgSz w:w="{}" w:h="{}"/><w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>
)",
        body_, kPageW, kPageH, kMarginTopBottom, kMarginSide, kMarginTopBottom, kMarginSide);
  }

  Lang lang_;
  bool zh_;
  std::string body_;
  std::string rels_;
  std::vector<std::pair<std::string, std::string>> media_;
  int figures_ = 0;
  int tables_ = 0;
};

}  // namespace

Result<std::string> BriefDocx(const BriefDocument& doc, const std::vector<BriefFacts>& facts,
                              const std::vector<BriefCharts>& charts, Lang lang) {
  DocxBuilder b(lang);
  b.Add(Paragraph("Title", doc.title));
  const bool single = facts.size() == 1;
  for (const BriefSection& sec : doc.sections) {
    if (!sec.heading.empty()) b.Add(Paragraph("Heading1", sec.heading));
    for (const std::string& p : sec.paragraphs) b.Add(Paragraph("", p));
    if (sec.cluster >= 0 && static_cast<size_t>(sec.cluster) < charts.size() &&
        static_cast<size_t>(sec.cluster) < facts.size()) {
      if (single) {
        b.Add(Paragraph("Heading1", lang == Lang::kZh ? "附：图表" : "Tables and charts"));
      }
      b.ClusterExhibits(facts[static_cast<size_t>(sec.cluster)], charts[static_cast<size_t>(sec.cluster)], !single);
    }
  }
  return b.Package(doc.title);
}

}  // namespace clusterscope
