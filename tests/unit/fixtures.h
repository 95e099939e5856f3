/* SPDX-License-Identifier: MIT */
/*
 * Processes the unit tests stage (root only): an idle child under another
 * uid, and a function run as the init of pid and mount namespaces of its
 * own, where ns_last_pid hands a number again without touching the host,
 * and a function run in a user namespace of its own with the maps asked.
 */
#ifndef CAPSCOPE_TEST_FIXTURES_H
#define CAPSCOPE_TEST_FIXTURES_H

#include <sys/types.h>

/* cs_test_in_pidns's answer when the namespaces cannot be made (skip). */
#define CS_TEST_NO_NS 77

/*
 * A child that takes uid (setresuid) and then waits until killed: its pid
 * once it has the uid, or -1 (fork failed, or it could not take the uid).
 * The caller kills and reaps it.
 */
pid_t cs_test_idle_child(uid_t uid);

/*
 * fn(arg) run as the init of a new pid and mount namespace, from a child
 * of this process: fn's return value (its exit status there, 0 to 255),
 * CS_TEST_NO_NS when unshare fails, 255 when the init was killed, or -1
 * when the child could not be run or was killed.
 */
int cs_test_in_pidns(int (*fn)(void *), void *arg);

/*
 * fn(arg) run in a child of this process that is in a new user namespace,
 * once this process has written uid_map and gid_map (each in one write,
 * NULL: left unwritten): fn's return value (0 to 255), CS_TEST_NO_NS when
 * unshare fails or a map cannot be written here, or -1 when the child
 * could not be run or was killed.
 */
int cs_test_in_userns(const char *uid_map, const char *gid_map, int (*fn)(void *), void *arg);

/*
 * Remove the tree at path, deepest first, without following a symbolic link
 * or leaving its file system: the directories (a cgroup's included) and the
 * files (a cgroup's interface files are not, and need not be). For a test's
 * teardown, which cmocka runs after a failed test too: a failed assertion
 * ends the test before its own cleanup, and left its cgroups under the v2
 * mount (thirteenth pass).
 */
void cs_test_rm_tree(const char *path);

/* The same for "CGROUP2_ROOT/name" (nothing when there is no v2 mount). */
void cs_test_rm_cgroup_tree(const char *name);

#endif
