#include "fs/env.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace hoglet::fs {
namespace {

using ::hoglet::testing::TempDir;

TEST(EnvTest, MakeDirsCreatesParentsAndRemoveTreeRemovesEverything) {
  TempDir dir;
  Env* env = Env::Default();
  const std::string deep = dir.Join("a/b/c");
  ASSERT_TRUE(MakeDirs(env, deep).ok());
  ASSERT_TRUE(MakeDirs(env, deep).ok());  // already there
  ASSERT_TRUE(WriteFile(env, deep + "/f", "hello", /*sync=*/true).ok());
  ASSERT_TRUE(WriteFile(env, dir.Join("a/g"), "x", /*sync=*/false).ok());
  EXPECT_EQ(*env->IsDirectory(dir.Join("a/b")), true);
  EXPECT_EQ(*env->IsDirectory(deep + "/f"), false);
  EXPECT_EQ(*ReadFileToString(env, deep + "/f"), "hello");

  ASSERT_TRUE(RemoveTree(env, dir.Join("a")).ok());
  EXPECT_FALSE(env->FileExists(dir.Join("a")));
  EXPECT_TRUE(RemoveTree(env, dir.Join("a")).ok());  // missing is fine
  EXPECT_EQ(env->IsDirectory(dir.Join("a")).status().code(), StatusCode::kNotFound);
}

TEST(EnvTest, ReadOnlyFilesCannotBeWrittenAndMustExist) {
  TempDir dir;
  Env* env = Env::Default();
  ASSERT_TRUE(WriteFile(env, dir.Join("f"), "abc", /*sync=*/false).ok());
  auto file = env->OpenFile(dir.Join("f"), OpenMode::kReadOnly);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(*(*file)->Size(), 3u);
  EXPECT_EQ((*file)->WriteAt(0, "z").code(), StatusCode::kUnavailable);
  EXPECT_EQ(env->OpenFile(dir.Join("missing"), OpenMode::kReadOnly).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace hoglet::fs
