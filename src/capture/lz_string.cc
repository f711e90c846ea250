#include "capture/lz_string.h"

#include <array>
#include <cstdint>
#include <vector>

namespace hoglet::capture {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

constexpr std::array<int8_t, 256> MakeTable() {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 65; ++i)
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  return table;
}
constexpr std::array<int8_t, 256> kValue = MakeTable();

Status Corrupt(std::string_view what) {
  return InvalidArgumentError("the lz64 (lz-string) payload is corrupt: " + std::string(what) +
                                  "; send the events uncompressed or gzip-compressed instead",
                              "request_decoding_error");
}

// Reads the bit stream six bits per character, most significant bit first, as lz-string's
// base64 reader does (position starts at 32 and '=' carries the value 64, i.e. no bits).
class BitReader {
 public:
  explicit BitReader(std::string_view input) : input_(input) {}

  // Reads `count` bits, least significant first. False when the input has ended.
  bool Read(int count, uint32_t* out) {
    uint32_t bits = 0;
    for (int i = 0; i < count; ++i) {
      if (position_ == 0) {
        if (index_ >= input_.size()) return false;
        value_ = kValue[static_cast<unsigned char>(input_[index_++])];
        position_ = 32;
      }
      if ((value_ & position_) != 0) bits |= uint32_t{1} << i;
      position_ >>= 1;
    }
    *out = bits;
    return true;
  }

 private:
  std::string_view input_;
  size_t index_ = 0;
  int value_ = 0;
  int position_ = 0;
};

struct Range {
  uint32_t start;
  uint32_t length;
};

}  // namespace

void AppendUtf16AsUtf8(const char16_t* units, size_t count, std::string* out) {
  for (size_t i = 0; i < count; ++i) {
    uint32_t cp = units[i];
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < count && units[i + 1] >= 0xDC00 &&
        units[i + 1] <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (units[i + 1] - 0xDC00);
      ++i;
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    }
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
}

StatusOr<std::string> LzStringDecompressFromBase64(std::string_view input,
                                                   size_t max_output_bytes) {
  for (char c : input) {
    if (kValue[static_cast<unsigned char>(c)] < 0) return Corrupt("a character is not base64");
  }
  if (input.empty()) return Corrupt("it is empty");
  // Every UTF-16 unit becomes at least one UTF-8 byte, so the unit count bounds the output.
  const size_t max_units = max_output_bytes;
  auto too_large = [&] {
    return PayloadTooLargeError(
        "the lz64 payload decompresses to more than " + std::to_string(max_output_bytes) + " bytes",
        "payload_too_large");
  };

  BitReader reader(input);
  std::vector<char16_t> out;
  // Dictionary entries are substrings of the output; codes 0–2 are control codes.
  std::vector<Range> dictionary(3, Range{0, 0});
  uint32_t enlarge_in = 4;
  int num_bits = 3;

  uint32_t kind;
  if (!reader.Read(2, &kind)) return Corrupt("it ends early");
  uint32_t first;
  if (kind == 2) return std::string();
  if (kind > 1 || !reader.Read(kind == 0 ? 8 : 16, &first)) return Corrupt("it ends early");
  out.push_back(static_cast<char16_t>(first));
  dictionary.push_back(Range{0, 1});
  Range w{0, 1};

  while (true) {
    if (num_bits > 31) return Corrupt("the dictionary grew past its maximum");
    uint32_t code;
    if (!reader.Read(num_bits, &code)) return Corrupt("it ends before its end marker");
    Range entry;
    bool appended = false;
    if (code == 0 || code == 1) {
      uint32_t unit;
      if (!reader.Read(code == 0 ? 8 : 16, &unit)) return Corrupt("it ends early");
      entry = Range{static_cast<uint32_t>(out.size()), 1};
      out.push_back(static_cast<char16_t>(unit));
      dictionary.push_back(entry);
      appended = true;
      code = static_cast<uint32_t>(dictionary.size() - 1);
      if (--enlarge_in == 0) {
        enlarge_in = uint32_t{1} << num_bits;
        ++num_bits;
      }
    } else if (code == 2) {
      break;
    } else if (code < dictionary.size()) {
      entry = dictionary[code];
    } else if (code == dictionary.size()) {
      entry = Range{static_cast<uint32_t>(out.size()), w.length + 1};
    } else {
      return Corrupt("it refers to a dictionary entry that does not exist");
    }
    if (!appended) {
      if (out.size() + entry.length > max_units) return too_large();
      if (code == dictionary.size()) {
        // The "KwKwK" case: the entry is w followed by w's first unit.
        for (uint32_t i = 0; i < w.length; ++i) out.push_back(out[w.start + i]);
        out.push_back(out[w.start]);
      } else {
        uint32_t start = static_cast<uint32_t>(out.size());
        for (uint32_t i = 0; i < entry.length; ++i) out.push_back(out[entry.start + i]);
        entry.start = start;
      }
    }
    if (out.size() > max_units) return too_large();
    // w + first unit of entry: contiguous, since entry was appended right after w.
    dictionary.push_back(Range{w.start, w.length + 1});
    w = entry;
    if (--enlarge_in == 0) {
      enlarge_in = uint32_t{1} << num_bits;
      ++num_bits;
    }
  }
  std::string utf8;
  utf8.reserve(out.size());
  AppendUtf16AsUtf8(out.data(), out.size(), &utf8);
  if (utf8.size() > max_output_bytes) return too_large();
  return utf8;
}

}  // namespace hoglet::capture
