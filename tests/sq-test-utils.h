/* sq-test-utils.h: helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <synquant.h>

G_BEGIN_DECLS

char       *sq_test_data_path        (const char *first,
                                      ...) G_GNUC_NULL_TERMINATED;
GPtrArray  *sq_test_list_data        (const char *subdir,
                                      const char *prefix,
                                      const char *suffix);
JsonNode   *sq_test_parse_file       (const char *path);
char       *sq_test_node_to_string   (JsonNode   *node);
gboolean    sq_test_tensor_equal     (const SqTensor *a,
                                      const SqTensor *b);
void        sq_test_assert_same_errors (const SqHistogram *a,
                                        const SqStats     *sa,
                                        const SqHistogram *b,
                                        const SqStats     *sb);
gboolean    sq_test_method_from_string (const char *s,
                                        SqMethod   *method);
gboolean    sq_test_mode_from_string (const char *s,
                                      SqMode     *mode);
void        sq_test_params_to_settings (const SqQuantParams   *params,
                                        SqQuantSettings       *settings);
void        sq_test_settings_to_params (const SqQuantSettings *settings,
                                        SqQuantParams         *params);
void        sq_test_tensor_set       (SqTensor     *tensor,
                                      guint         rank,
                                      const gsize  *shape,
                                      const double *values);
void        sq_test_iaf_layer_clear  (SqIafLayer   *layer);
gboolean    sq_test_tensor_matches   (const SqTensor *tensor,
                                      JsonNode       *expected,
                                      const char     *name,
                                      char          **why);
SqXyloSpec *sq_test_load_spec_member (JsonObject *object,
                                      const char *member,
                                      const char *display_name);
gboolean    sq_test_run              (const char * const *argv,
                                      int                *exit_status,
                                      char              **out,
                                      char              **err);
char       *sq_test_cli_path         (void);
/* Ctrl+C once @argv's progress shows: exit 1, "interrupted; nothing was written", no
 * @output. */
void        sq_test_interrupt_cli    (const char * const *argv,
                                      const char         *output);
const char *sq_test_python_with_numpy (void);

/* A test fixture: a temporary folder made before each test and removed after it. */
typedef struct {
  char *dir;
} SqTestDir;

void        sq_test_dir_setup        (SqTestDir     *f,
                                      gconstpointer  data);
void        sq_test_dir_teardown     (SqTestDir     *f,
                                      gconstpointer  data);
char       *sq_test_dir_path         (SqTestDir     *f,
                                      const char    *name) G_GNUC_WARN_UNUSED_RESULT;

/* One synquant-cli run: exit status and captured output. */
typedef struct {
  int   status;
  char *out;
  char *err;
} SqTestRun;

void        sq_test_run_clear        (SqTestRun  *run);
void        sq_test_run_cli          (SqTestRun  *run,
                                      const char *first,
                                      ...) G_GNUC_NULL_TERMINATED;

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SqTestRun, sq_test_run_clear)
char       *sq_test_tmpdir           (void);
char       *sq_test_list_dir         (const char *path) G_GNUC_WARN_UNUSED_RESULT;
void        sq_test_assert_dir_holds (const char *path,
                                      const char *names);
void        sq_test_remove_tree      (const char *path);
SqNetwork  *sq_test_load_network     (const char *contents,
                                      gssize      length,
                                      const char *name);

G_END_DECLS
