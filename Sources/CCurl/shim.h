// Typed wrappers over libcurl's variadic setopt/getinfo, which Swift cannot
// call directly, plus the socket-open hook Henge uses to check every address
// it connects to.
#include <curl/curl.h>
#include <sys/socket.h>

static inline CURLcode henge_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode henge_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode henge_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode henge_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

typedef size_t (*henge_curl_write_callback)(char *data, size_t size, size_t count, void *context);
static inline CURLcode henge_curl_setopt_write(CURL *handle, henge_curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

typedef curl_socket_t (*henge_curl_opensocket_callback)(void *context, curlsocktype purpose, struct curl_sockaddr *address);
static inline CURLcode henge_curl_setopt_opensocket(CURL *handle, henge_curl_opensocket_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, callback);
}

static inline CURLcode henge_curl_response_code(CURL *handle, long *code) {
    return curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, code);
}

static inline CURLcode henge_curl_effective_url(CURL *handle, char **url) {
    return curl_easy_getinfo(handle, CURLINFO_EFFECTIVE_URL, url);
}

static inline const struct sockaddr *henge_curl_sockaddr(const struct curl_sockaddr *address) {
    return &address->addr;
}

/// The result code of a finished transfer reported by curl_multi_info_read.
static inline CURLcode henge_curl_msg_result(const CURLMsg *message) {
    return message->data.result;
}
