#include "tests/support/test_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <simdjson.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <stdexcept>
#include <thread>

namespace hoglet::testing {

TestServer::TestServer(std::string data_dir, std::vector<std::string> extra_args)
    : data_dir_(std::move(data_dir)) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> args = {HOGLET_BINARY, "serve",    "--data-dir",
                                   data_dir_,     "--listen", "127.0.0.1:0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_ = fork();
  if (pid_ == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    setenv("HOGLET_INIT_PROJECT_TOKEN", kTestProjectToken, 1);
    setenv("HOGLET_INIT_PERSONAL_API_KEY", kTestPersonalApiKey, 1);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  output_fd_ = pipe_fds[0];
  ReadUntilListening();
}

TestServer::~TestServer() {
  if (pid_ > 0) Kill();
  if (output_fd_ >= 0) close(output_fd_);
}

void TestServer::ReadUntilListening() {
  static const std::regex kListening("listening on http://127\\.0\\.0\\.1:([0-9]+)");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{output_fd_, POLLIN, 0};
    if (poll(&pfd, 1, 100) > 0) {
      ssize_t n = read(output_fd_, buf, sizeof(buf));
      if (n <= 0) break;
      output_.append(buf, static_cast<size_t>(n));
      std::smatch match;
      if (std::regex_search(output_, match, kListening)) {
        port_ = static_cast<uint16_t>(std::stoi(match[1]));
        // Keep draining output in the background so the server never blocks on a full pipe.
        // With HOGLET_TEST_LOG set, what the server prints is appended to that file.
        int fd = output_fd_;
        output_fd_ = -1;
        const char* log_path = getenv("HOGLET_TEST_LOG");
        int log_fd = log_path ? open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644) : -1;
        if (log_fd >= 0) {
          ssize_t ignored = write(log_fd, output_.data(), output_.size());
          (void)ignored;
        }
        std::thread([fd, log_fd] {
          char sink[4096];
          ssize_t n;
          while ((n = read(fd, sink, sizeof(sink))) > 0) {
            if (log_fd >= 0) {
              ssize_t ignored = write(log_fd, sink, static_cast<size_t>(n));
              (void)ignored;
            }
          }
          close(fd);
          if (log_fd >= 0) close(log_fd);
        }).detach();
        return;
      }
    }
  }
  throw std::runtime_error("hoglet did not start listening; output:\n" + output_);
}

int TestServer::Terminate() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 3000; ++i) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Kill();
  return -1;
}

void TestServer::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

HttpResponse TestServer::Get(const std::string& target, bool authorized) const {
  std::vector<std::pair<std::string, std::string>> headers;
  if (authorized)
    headers.emplace_back("Authorization", std::string("Bearer ") + kTestPersonalApiKey);
  return HttpRequest(port_, "GET", target, {}, headers);
}

HttpResponse TestServer::Post(const std::string& target, const std::string& body,
                              std::vector<std::pair<std::string, std::string>> headers) const {
  bool has_type = false;
  for (auto& [k, v] : headers) has_type = has_type || strcasecmp(k.c_str(), "Content-Type") == 0;
  if (!has_type) headers.emplace_back("Content-Type", "application/json");
  return HttpRequest(port_, "POST", target, body, headers);
}

size_t CountResults(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::array results;
  if (parser.parse(body).at_key("results").get_array().get(results) != simdjson::SUCCESS) {
    return 0;
  }
  return results.size();
}

std::string NextPageTarget(const std::string& body) {
  simdjson::dom::parser parser;
  std::string_view next;
  if (parser.parse(body).at_key("next").get_string().get(next) != simdjson::SUCCESS) return {};
  size_t api = next.find("/api/");
  return api == std::string_view::npos ? std::string() : std::string(next.substr(api));
}

std::string WaitForEvents(const TestServer& server, const std::string& query, size_t count,
                          int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string body;
  while (std::chrono::steady_clock::now() < deadline) {
    HttpResponse response = server.Get("/api/projects/1/events/?" + query);
    body = response.body;
    if (response.status == 200 && CountResults(body) >= count) return body;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return body;
}

}  // namespace hoglet::testing
