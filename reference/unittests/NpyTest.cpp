//===- NpyTest.cpp - tests of the .npy reader and writer ------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Npy.h"

#include "reference/Random.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

using namespace smc::ref;

namespace {

std::string tempPath(const std::string &name) {
  return testing::TempDir() + "smc_ref_npy_" + name + ".npy";
}

void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// A version 1.0 image with `header` padded to 64 bytes, then `data`.
std::string npyImage(std::string header, const std::string &data) {
  while ((10 + header.size() + 1) % 64)
    header += ' ';
  header += '\n';
  std::string bytes("\x93NUMPY\x01\x00", 8);
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  return bytes + header + data;
}

std::string parseError(const std::string &bytes) {
  Tensor out;
  DType type;
  Status status = parseNpy(reinterpret_cast<const uint8_t *>(bytes.data()),
                           bytes.size(), out, type);
  return status.ok() ? std::string("<ok>") : status.message();
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST(NpyTest, RoundTripsEveryDType) {
  Rng rng(5);
  for (DType type : {DType::F32, DType::F16, DType::BF16, DType::F64,
                     DType::I32, DType::I64}) {
    for (const Shape &shape : {Shape{}, Shape{0}, Shape{7}, Shape{2, 3, 4}}) {
      SCOPED_TRACE(std::string(dtypeName(type)) + " " + shapeToString(shape));
      Tensor tensor(shape);
      fillNormal(tensor, type, 0.0, 100.0, rng);
      std::string path = tempPath(dtypeName(type));
      Status status = writeNpy(path, tensor, type);
      ASSERT_TRUE(status.ok()) << status.message();
      Tensor back;
      DType fileType;
      status = readNpy(path, back, fileType, &shape);
      ASSERT_TRUE(status.ok()) << status.message();
      EXPECT_EQ(fileType, type == DType::BF16 ? DType::F32 : type);
      ASSERT_EQ(back.shape(), shape);
      for (int64_t i = 0; i < tensor.numel(); ++i)
        ASSERT_EQ(back[i], tensor[i]) << "element " << i;
      std::remove(path.c_str());
    }
  }
}

TEST(NpyTest, WritesAlignedNumpyHeader) {
  Tensor tensor({2, 3});
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(serializeNpy(tensor, DType::F32, bytes).ok());
  std::string image(bytes.begin(), bytes.end());
  size_t headerSize = bytes[8] | (bytes[9] << 8);
  EXPECT_EQ((10 + headerSize) % 64, 0u);
  EXPECT_EQ(image.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_TRUE(contains(image, "{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (2, 3), }"));
  EXPECT_EQ(image[10 + headerSize - 1], '\n');
  EXPECT_EQ(bytes.size(), 10 + headerSize + 6 * 4);

  Tensor vector({5});
  ASSERT_TRUE(serializeNpy(vector, DType::I64, bytes).ok());
  EXPECT_TRUE(contains(std::string(bytes.begin(), bytes.end()),
                       "'descr': '<i8', 'fortran_order': False, "
                       "'shape': (5,), }"));
}

TEST(NpyTest, ReadsHandWrittenF4Array) {
  // [[1.0, -2.0], [0.5, 3.0]] as little-endian float32.
  std::string data("\x00\x00\x80\x3f"
                   "\x00\x00\x00\xc0"
                   "\x00\x00\x00\x3f"
                   "\x00\x00\x40\x40",
                   16);
  std::string path = tempPath("handwritten");
  writeBytes(path, npyImage("{'descr': '<f4', 'fortran_order': False, "
                            "'shape': (2, 2), }",
                            data));
  Tensor out;
  DType type;
  Status status = readNpy(path, out, type);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(type, DType::F32);
  ASSERT_EQ(out.shape(), (Shape{2, 2}));
  EXPECT_EQ(out.at({0, 0}), 1.0);
  EXPECT_EQ(out.at({0, 1}), -2.0);
  EXPECT_EQ(out.at({1, 0}), 0.5);
  EXPECT_EQ(out.at({1, 1}), 3.0);

  Shape wrong = {4};
  status = readNpy(path, out, type, &wrong);
  EXPECT_EQ(status.message(),
            path + ": shape mismatch: expected [4], file has [2,2]");
  std::remove(path.c_str());
}

TEST(NpyTest, ReadsVersion2AndOddSpacing) {
  std::string header = "{\"shape\":(3,),\"fortran_order\":False,"
                       "\"descr\":\"<i4\"}";
  header += '\n';
  std::string bytes("\x93NUMPY\x02\x00", 8);
  bytes += std::string(1, static_cast<char>(header.size()));
  bytes += std::string(3, '\0');
  bytes += header;
  bytes += std::string("\x01\x00\x00\x00\xff\xff\xff\xff\x00\x00\x00\x80", 12);
  Tensor out;
  DType type;
  Status status = parseNpy(reinterpret_cast<const uint8_t *>(bytes.data()),
                           bytes.size(), out, type);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(type, DType::I32);
  EXPECT_EQ(out[0], 1.0);
  EXPECT_EQ(out[1], -1.0);
  EXPECT_EQ(out[2], -2147483648.0);
}

TEST(NpyTest, RejectsCorruptFiles) {
  std::string f4 = std::string(8, '\0');
  std::string good = "{'descr': '<f4', 'fortran_order': False, "
                     "'shape': (2,), }";
  ASSERT_EQ(parseError(npyImage(good, f4)), "<ok>");

  EXPECT_TRUE(contains(parseError("\x93NUMPX\x01\x00\x00\x00"), "bad magic"));
  EXPECT_TRUE(contains(parseError(std::string("\x93NUMPY\x07\x00", 8)),
                       "unsupported .npy format version 7.0"));
  EXPECT_TRUE(
      contains(parseError(npyImage("{'descr': '<f4', 'fortran_order': True, "
                                   "'shape': (2,), }",
                                   f4)),
               "fortran_order arrays are not supported"));
  EXPECT_TRUE(
      contains(parseError(npyImage("{'descr': '>f4', 'fortran_order': False, "
                                   "'shape': (2,), }",
                                   f4)),
               "big-endian dtype '>f4' is not supported"));
  EXPECT_TRUE(
      contains(parseError(npyImage("{'descr': '<c8', 'fortran_order': False, "
                                   "'shape': (1,), }",
                                   f4)),
               "unsupported dtype '<c8'"));
  EXPECT_TRUE(contains(parseError(npyImage(good, f4.substr(0, 5))),
                       "truncated file: shape [2] of <f4 needs 8 data bytes, "
                       "only 5 present"));
  EXPECT_TRUE(contains(parseError(npyImage(good, f4 + "x")),
                       "1 unexpected trailing bytes"));
  EXPECT_TRUE(contains(parseError(npyImage("{'descr': '<f4', "
                                           "'fortran_order': False}",
                                           f4)),
                       "lacks the 'shape' key"));
  EXPECT_TRUE(contains(parseError(npyImage("{'descr': '<f4', "
                                           "'fortran_order': False, "
                                           "'shape': (2, x), }",
                                           f4)),
                       "malformed header"));
  EXPECT_TRUE(contains(parseError(npyImage("garbage", f4)), "expected '{'"));
  std::string cut = npyImage(good, f4).substr(0, 30);
  EXPECT_TRUE(contains(parseError(cut), "truncated file: header declares"));
}

TEST(NpyTest, ReportsMissingFilesAndBadIntegers) {
  Tensor out;
  DType type;
  Status status = readNpy("/nonexistent/dir/x.npy", out, type);
  EXPECT_EQ(status.message(),
            "/nonexistent/dir/x.npy: cannot open for reading");
  Tensor big({1}, 1e10);
  std::vector<uint8_t> bytes;
  EXPECT_TRUE(contains(serializeNpy(big, DType::I32, bytes).message(),
                       "does not fit in i32"));
  Tensor nan({1}, NAN);
  EXPECT_FALSE(serializeNpy(nan, DType::I64, bytes).ok());
}

TEST(NpyTest, PackUnpackRoundTrip) {
  Rng rng(3);
  Tensor tensor({3, 5});
  for (DType type : {DType::F32, DType::F16, DType::BF16, DType::F64,
                     DType::I32, DType::I64}) {
    fillUniform(tensor, type, -50.0, 50.0, rng);
    std::vector<uint8_t> bytes;
    ASSERT_TRUE(packTensor(tensor, type, bytes).ok());
    EXPECT_EQ(bytes.size(), 15 * dtypeSize(type));
    Tensor back = unpackTensor(bytes.data(), type, tensor.shape());
    for (int64_t i = 0; i < tensor.numel(); ++i)
      ASSERT_EQ(back[i], tensor[i]) << dtypeName(type);
  }
  // Bytes are little-endian whatever the host is.
  Tensor one({1}, 1.0);
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(packTensor(one, DType::BF16, bytes).ok());
  EXPECT_EQ(bytes, (std::vector<uint8_t>{0x80, 0x3f}));
  ASSERT_TRUE(packTensor(one, DType::F16, bytes).ok());
  EXPECT_EQ(bytes, (std::vector<uint8_t>{0x00, 0x3c}));
}
