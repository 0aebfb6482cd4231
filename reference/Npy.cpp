//===- Npy.cpp - NumPy .npy reader and writer -----------------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Npy.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <string_view>

namespace smc::ref {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

/// Parses the Python dict literal of a .npy header, e.g.
/// "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }".
class HeaderParser {
public:
  explicit HeaderParser(std::string_view text) : text(text) {}

  Status parse(std::string &descr, bool &fortranOrder, Shape &shape) {
    bool seenDescr = false, seenOrder = false, seenShape = false;
    skipSpace();
    if (!consume('{'))
      return fail("expected '{'");
    while (true) {
      skipSpace();
      if (consume('}'))
        break;
      std::string key;
      SMC_REF_RETURN_IF_ERROR(parseString(key));
      skipSpace();
      if (!consume(':'))
        return fail("expected ':' after key '" + key + "'");
      skipSpace();
      if (key == "descr") {
        if (pos < text.size() && text[pos] == '[')
          return Status::error("structured dtypes are not supported");
        SMC_REF_RETURN_IF_ERROR(parseString(descr));
        seenDescr = true;
      } else if (key == "fortran_order") {
        SMC_REF_RETURN_IF_ERROR(parseBool(fortranOrder));
        seenOrder = true;
      } else if (key == "shape") {
        SMC_REF_RETURN_IF_ERROR(parseShape(shape));
        seenShape = true;
      } else {
        return fail("unexpected key '" + key + "'");
      }
      skipSpace();
      if (consume('}'))
        break;
      if (!consume(','))
        return fail("expected ',' or '}'");
    }
    skipSpace();
    if (pos != text.size())
      return fail("unexpected text after '}'");
    if (!seenDescr)
      return Status::error("header lacks the 'descr' key");
    if (!seenOrder)
      return Status::error("header lacks the 'fortran_order' key");
    if (!seenShape)
      return Status::error("header lacks the 'shape' key");
    return Status::success();
  }

private:
  Status fail(const std::string &what) const {
    return Status::error("malformed header at offset " + std::to_string(pos) +
                         ": " + what + " in \"" + std::string(text) + "\"");
  }

  void skipSpace() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' ||
                                 text[pos] == '\n' || text[pos] == '\r'))
      ++pos;
  }

  bool consume(char c) {
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }

  Status parseString(std::string &out) {
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
      return fail("expected a quoted string");
    char quote = text[pos++];
    size_t end = text.find(quote, pos);
    if (end == std::string_view::npos)
      return fail("unterminated string");
    out = std::string(text.substr(pos, end - pos));
    pos = end + 1;
    return Status::success();
  }

  Status parseBool(bool &out) {
    if (text.substr(pos, 4) == "True") {
      pos += 4;
      out = true;
      return Status::success();
    }
    if (text.substr(pos, 5) == "False") {
      pos += 5;
      out = false;
      return Status::success();
    }
    return fail("expected True or False");
  }

  Status parseShape(Shape &shape) {
    shape.clear();
    if (!consume('('))
      return fail("expected '(' to open the shape");
    while (true) {
      skipSpace();
      if (consume(')'))
        return Status::success();
      if (pos >= text.size() || text[pos] < '0' || text[pos] > '9')
        return fail("expected a non-negative integer dimension");
      int64_t value = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (value > (INT64_MAX - 9) / 10)
          return fail("dimension too large");
        value = value * 10 + (text[pos++] - '0');
      }
      consume('L'); // Python 2 long suffix.
      shape.push_back(value);
      skipSpace();
      if (consume(')'))
        return Status::success();
      if (!consume(','))
        return fail("expected ',' or ')' in the shape");
    }
  }

  std::string_view text;
  size_t pos = 0;
};

Status dtypeFromDescr(const std::string &descr, DType &type) {
  static const struct {
    const char *descr;
    DType type;
  } kTable[] = {{"<f2", DType::F16},
                {"<f4", DType::F32},
                {"<f8", DType::F64},
                {"<i4", DType::I32},
                {"<i8", DType::I64}};
  for (const auto &entry : kTable) {
    if (descr == entry.descr) {
      type = entry.type;
      return Status::success();
    }
  }
  if (!descr.empty() && descr[0] == '>')
    return Status::error("big-endian dtype '" + descr + "' is not supported");
  return Status::error("unsupported dtype '" + descr +
                       "' (supported: <f2, <f4, <f8, <i4, <i8)");
}

const char *descrFor(DType type) {
  switch (type) {
  case DType::F16:
    return "<f2";
  case DType::F32:
  case DType::BF16:
    return "<f4";
  case DType::F64:
    return "<f8";
  case DType::I32:
    return "<i4";
  case DType::I64:
    return "<i8";
  }
  return "";
}

uint32_t loadLe(const uint8_t *in, size_t size) {
  uint32_t value = 0;
  for (size_t i = 0; i < size; ++i)
    value |= static_cast<uint32_t>(in[i]) << (8 * i);
  return value;
}

} // namespace

Status parseNpy(const uint8_t *bytes, size_t size, Tensor &out,
                DType &fileType) {
  if (size < kMagicSize + 2 || std::memcmp(bytes, kMagic, kMagicSize) != 0)
    return Status::error("not a .npy file (bad magic string)");
  int major = bytes[6], minor = bytes[7];
  size_t lengthBytes;
  if (major == 1)
    lengthBytes = 2;
  else if (major == 2 || major == 3)
    lengthBytes = 4;
  else
    return Status::error("unsupported .npy format version " +
                         std::to_string(major) + "." + std::to_string(minor));
  size_t prefix = kMagicSize + 2 + lengthBytes;
  if (size < prefix)
    return Status::error("truncated file: header length field is incomplete");
  size_t headerSize = loadLe(bytes + kMagicSize + 2, lengthBytes);
  if (size - prefix < headerSize)
    return Status::error("truncated file: header declares " +
                         std::to_string(headerSize) + " bytes, only " +
                         std::to_string(size - prefix) + " present");

  std::string descr;
  bool fortranOrder = false;
  Shape shape;
  std::string_view header(reinterpret_cast<const char *>(bytes + prefix),
                          headerSize);
  SMC_REF_RETURN_IF_ERROR(
      HeaderParser(header).parse(descr, fortranOrder, shape));
  DType type = DType::F32;
  SMC_REF_RETURN_IF_ERROR(dtypeFromDescr(descr, type));
  if (fortranOrder)
    return Status::error("fortran_order arrays are not supported; save a "
                         "C-contiguous array (np.ascontiguousarray)");

  // Bound the element count before multiplying so sizes cannot overflow.
  size_t elementSize = dtypeSize(type);
  uint64_t numel = 1;
  for (int64_t dim : shape) {
    if (dim != 0 && numel > (UINT64_MAX / 16) / static_cast<uint64_t>(dim))
      return Status::error("shape " + shapeToString(shape) + " is too large");
    numel *= static_cast<uint64_t>(dim);
  }
  uint64_t dataSize = numel * elementSize;
  uint64_t available = size - prefix - headerSize;
  if (available < dataSize)
    return Status::error("truncated file: shape " + shapeToString(shape) +
                         " of " + descr + " needs " + std::to_string(dataSize) +
                         " data bytes, only " + std::to_string(available) +
                         " present");
  if (available > dataSize)
    return Status::error("file has " + std::to_string(available - dataSize) +
                         " unexpected trailing bytes after the data");
  out = unpackTensor(bytes + prefix + headerSize, type, shape);
  fileType = type;
  return Status::success();
}

Status readNpy(const std::string &path, Tensor &out, DType &fileType,
               const Shape *expectShape) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return Status::error(path + ": cannot open for reading");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                             std::istreambuf_iterator<char>());
  if (file.bad())
    return Status::error(path + ": read error");
  Tensor tensor;
  DType type = DType::F32;
  SMC_REF_RETURN_IF_ERROR(
      parseNpy(bytes.data(), bytes.size(), tensor, type).withContext(path));
  if (expectShape && tensor.shape() != *expectShape)
    return Status::error(path + ": shape mismatch: expected " +
                         shapeToString(*expectShape) + ", file has " +
                         shapeToString(tensor.shape()));
  out = std::move(tensor);
  fileType = type;
  return Status::success();
}

Status serializeNpy(const Tensor &tensor, DType type,
                    std::vector<uint8_t> &bytes) {
  std::string shapeText = "(";
  for (int64_t i = 0; i < tensor.rank(); ++i) {
    if (i)
      shapeText += ", ";
    shapeText += std::to_string(tensor.dim(i));
  }
  shapeText += tensor.rank() == 1 ? ",)" : ")";
  std::string header = std::string("{'descr': '") + descrFor(type) +
                       "', 'fortran_order': False, 'shape': " + shapeText +
                       ", }";

  // Pad with spaces and end with '\n' so the data starts 64-byte aligned, as
  // NumPy does; switch to version 2.0 only when the length needs 4 bytes.
  size_t lengthBytes = 2;
  size_t padded = 0;
  for (;;) {
    size_t prefix = kMagicSize + 2 + lengthBytes;
    size_t unpadded = prefix + header.size() + 1;
    padded = header.size() + 1 + (64 - unpadded % 64) % 64;
    if (lengthBytes == 2 && padded > 0xffff) {
      lengthBytes = 4;
      continue;
    }
    break;
  }
  header.append(padded - header.size() - 1, ' ');
  header += '\n';

  Tensor rounded = tensor;
  if (type == DType::BF16)
    roundTensorToDType(rounded, DType::BF16);
  std::vector<uint8_t> data;
  SMC_REF_RETURN_IF_ERROR(
      packTensor(rounded, type == DType::BF16 ? DType::F32 : type, data));

  bytes.assign(kMagic, kMagic + kMagicSize);
  bytes.push_back(static_cast<uint8_t>(lengthBytes == 2 ? 1 : 2));
  bytes.push_back(0);
  for (size_t i = 0; i < lengthBytes; ++i)
    bytes.push_back(static_cast<uint8_t>(padded >> (8 * i)));
  bytes.insert(bytes.end(), header.begin(), header.end());
  bytes.insert(bytes.end(), data.begin(), data.end());
  return Status::success();
}

Status writeNpy(const std::string &path, const Tensor &tensor, DType type) {
  std::vector<uint8_t> bytes;
  SMC_REF_RETURN_IF_ERROR(serializeNpy(tensor, type, bytes).withContext(path));
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file)
    return Status::error(path + ": cannot open for writing");
  file.write(reinterpret_cast<const char *>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  file.close();
  if (!file)
    return Status::error(path + ": write failed");
  return Status::success();
}

} // namespace smc::ref
