/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "spec_schema.h"

#include <string.h>

/* The runtime-spec's Go structs (specs-go/config.go), as runc decodes
 * them. runc 1.1.5 vendors a 1.0.2-dev revision; the fields that later
 * runtime-spec releases added, up to v1.3.0, are here too (marked), since a
 * newer runc on the same host reads them. Platforms runc ignores on Linux
 * (solaris, windows, vm, zos, freebsd) are described as well: runc still
 * decodes them, and "every key" is simpler to trust than "every key that
 * matters". Field order is the struct's: Go takes the first field that
 * folds alike, and so does schema_field_folded(). */

#define FIELDS(var, ...) static const struct schema_field var##_fields[] = {__VA_ARGS__, {NULL, NULL}}
#define STRUCT_OF(var, go)                                                                                             \
        {                                                                                                              \
                go, SCHEMA_STRUCT, var##_fields, NULL                                                                  \
        }
#define DEFINE_STRUCT(var, go, ...)                                                                                    \
        FIELDS(var, __VA_ARGS__);                                                                                      \
        static const struct schema var = STRUCT_OF(var, go)

/* --- process ------------------------------------------------------------ */

DEFINE_STRUCT(box, "specs.Box", {"height"}, {"width"});
DEFINE_STRUCT(user, "specs.User", {"uid"}, {"gid"}, {"umask"}, {"additionalGids"}, {"username"});
DEFINE_STRUCT(capabilities, "specs.LinuxCapabilities", {"bounding"}, {"effective"}, {"inheritable"}, {"permitted"},
              {"ambient"});
DEFINE_STRUCT(rlimit, "specs.POSIXRlimit", {"type"}, {"hard"}, {"soft"});
/* runtime-spec 1.2 */
DEFINE_STRUCT(scheduler, "specs.Scheduler", {"policy"}, {"nice"}, {"priority"}, {"flags"}, {"runtime"}, {"deadline"},
              {"period"});
DEFINE_STRUCT(io_priority, "specs.LinuxIOPriority", {"class"}, {"priority"});
DEFINE_STRUCT(cpu_affinity, "specs.CPUAffinity", {"initial"}, {"final"});

FIELDS(process, {"terminal"}, {"consoleSize", &box}, {"user", &user}, {"args"}, {"commandLine"}, {"env"}, {"cwd"},
       {"capabilities", &capabilities}, {"rlimits", &rlimit}, {"noNewPrivileges"}, {"apparmorProfile"}, {"oomScoreAdj"},
       {"scheduler", &scheduler}, {"selinuxLabel"}, {"ioPriority", &io_priority}, {"execCPUAffinity", &cpu_affinity});
const struct schema schema_process = STRUCT_OF(process, "specs.Process");

/* --- root, mounts, hooks -------------------------------------------------- */

DEFINE_STRUCT(root, "specs.Root", {"path"}, {"readonly"});
DEFINE_STRUCT(id_mapping, "specs.LinuxIDMapping", {"containerID"}, {"hostID"}, {"size"});
/* uidMappings and gidMappings: runtime-spec 1.1 */
DEFINE_STRUCT(mount, "specs.Mount", {"destination"}, {"type"}, {"source"}, {"options"}, {"uidMappings", &id_mapping},
              {"gidMappings", &id_mapping});
DEFINE_STRUCT(hook, "specs.Hook", {"path"}, {"args"}, {"env"}, {"timeout"});
DEFINE_STRUCT(hooks, "specs.Hooks", {"prestart", &hook}, {"createRuntime", &hook}, {"createContainer", &hook},
              {"startContainer", &hook}, {"poststart", &hook}, {"poststop", &hook});

/* --- linux.resources ------------------------------------------------------ */

DEFINE_STRUCT(device_cgroup, "specs.LinuxDeviceCgroup", {"allow"}, {"type"}, {"major"}, {"minor"}, {"access"});
/* checkBeforeUpdate: runtime-spec 1.1 */
DEFINE_STRUCT(memory, "specs.LinuxMemory", {"limit"}, {"reservation"}, {"swap"}, {"kernel"}, {"kernelTCP"},
              {"swappiness"}, {"disableOOMKiller"}, {"useHierarchy"}, {"checkBeforeUpdate"});
/* burst, idle: runtime-spec 1.1 and 1.2 */
DEFINE_STRUCT(cpu, "specs.LinuxCPU", {"shares"}, {"quota"}, {"burst"}, {"period"}, {"realtimeRuntime"},
              {"realtimePeriod"}, {"cpus"}, {"mems"}, {"idle"});
DEFINE_STRUCT(pids, "specs.LinuxPids", {"limit"});
/* The device fields are promoted from the embedded LinuxBlockIODevice. */
DEFINE_STRUCT(weight_device, "specs.LinuxWeightDevice", {"major"}, {"minor"}, {"weight"}, {"leafWeight"});
DEFINE_STRUCT(throttle_device, "specs.LinuxThrottleDevice", {"major"}, {"minor"}, {"rate"});
DEFINE_STRUCT(block_io, "specs.LinuxBlockIO", {"weight"}, {"leafWeight"}, {"weightDevice", &weight_device},
              {"throttleReadBpsDevice", &throttle_device}, {"throttleWriteBpsDevice", &throttle_device},
              {"throttleReadIOPSDevice", &throttle_device}, {"throttleWriteIOPSDevice", &throttle_device});
DEFINE_STRUCT(hugepage_limit, "specs.LinuxHugepageLimit", {"pageSize"}, {"limit"});
DEFINE_STRUCT(interface_priority, "specs.LinuxInterfacePriority", {"name"}, {"priority"});
DEFINE_STRUCT(network, "specs.LinuxNetwork", {"classID"}, {"priorities", &interface_priority});
DEFINE_STRUCT(rdma, "specs.LinuxRdma", {"hcaHandles"}, {"hcaObjects"});
static const struct schema rdma_map = {"map[string]specs.LinuxRdma", SCHEMA_MAP, NULL, &rdma};
static const struct schema string_map = {"map[string]string", SCHEMA_MAP, NULL, NULL};

FIELDS(resources, {"devices", &device_cgroup}, {"memory", &memory}, {"cpu", &cpu}, {"pids", &pids},
       {"blockIO", &block_io}, {"hugepageLimits", &hugepage_limit}, {"network", &network}, {"rdma", &rdma_map},
       {"unified", &string_map});
const struct schema schema_linux_resources = STRUCT_OF(resources, "specs.LinuxResources");

/* --- linux ------------------------------------------------------------------ */

DEFINE_STRUCT(namespace, "specs.LinuxNamespace", {"type"}, {"path"});
DEFINE_STRUCT(device, "specs.LinuxDevice", {"path"}, {"type"}, {"major"}, {"minor"}, {"fileMode"}, {"uid"}, {"gid"});
/* runtime-spec 1.2 */
DEFINE_STRUCT(net_device, "specs.LinuxNetDevice", {"name"});
static const struct schema net_device_map = {"map[string]specs.LinuxNetDevice", SCHEMA_MAP, NULL, &net_device};
DEFINE_STRUCT(seccomp_arg, "specs.LinuxSeccompArg", {"index"}, {"value"}, {"valueTwo"}, {"op"});
DEFINE_STRUCT(syscall, "specs.LinuxSyscall", {"names"}, {"action"}, {"errnoRet"}, {"args", &seccomp_arg});
DEFINE_STRUCT(seccomp, "specs.LinuxSeccomp", {"defaultAction"}, {"defaultErrnoRet"}, {"architectures"}, {"flags"},
              {"listenerPath"}, {"listenerMetadata"}, {"syscalls", &syscall});
/* schemata, enableMonitoring: runtime-spec 1.2 and 1.3 */
DEFINE_STRUCT(intel_rdt, "specs.LinuxIntelRdt", {"closID"}, {"schemata"}, {"l3CacheSchema"}, {"memBwSchema"},
              {"enableMonitoring"});
/* runtime-spec 1.3 */
DEFINE_STRUCT(memory_policy, "specs.LinuxMemoryPolicy", {"mode"}, {"nodes"}, {"flags"});
DEFINE_STRUCT(personality, "specs.LinuxPersonality", {"domain"}, {"flags"});
/* runtime-spec 1.2 */
DEFINE_STRUCT(time_offset, "specs.LinuxTimeOffset", {"secs"}, {"nanosecs"});
static const struct schema time_offset_map = {"map[string]specs.LinuxTimeOffset", SCHEMA_MAP, NULL, &time_offset};

DEFINE_STRUCT(linux_, "specs.Linux", {"uidMappings", &id_mapping}, {"gidMappings", &id_mapping},
              {"sysctl", &string_map}, {"resources", &schema_linux_resources}, {"cgroupsPath"},
              {"namespaces", &namespace}, {"devices", &device}, {"netDevices", &net_device_map}, {"seccomp", &seccomp},
              {"rootfsPropagation"}, {"maskedPaths"}, {"readonlyPaths"}, {"mountLabel"}, {"intelRdt", &intel_rdt},
              {"memoryPolicy", &memory_policy}, {"personality", &personality}, {"timeOffsets", &time_offset_map});

/* --- other platforms ------------------------------------------------------- */

DEFINE_STRUCT(solaris_capped_cpu, "specs.SolarisCappedCPU", {"ncpus"});
DEFINE_STRUCT(solaris_capped_memory, "specs.SolarisCappedMemory", {"physical"}, {"swap"});
DEFINE_STRUCT(solaris_anet, "specs.SolarisAnet", {"linkname"}, {"lowerLink"}, {"allowedAddress"},
              {"configureAllowedAddress"}, {"defrouter"}, {"linkProtection"}, {"macAddress"});
DEFINE_STRUCT(solaris, "specs.Solaris", {"milestone"}, {"limitpriv"}, {"maxShmMemory"}, {"anet", &solaris_anet},
              {"cappedCPU", &solaris_capped_cpu}, {"cappedMemory", &solaris_capped_memory});

DEFINE_STRUCT(windows_device, "specs.WindowsDevice", {"id"}, {"idType"});
DEFINE_STRUCT(windows_memory, "specs.WindowsMemoryResources", {"limit"});
DEFINE_STRUCT(windows_cpu_affinity, "specs.WindowsCPUGroupAffinity", {"mask"}, {"group"});
DEFINE_STRUCT(windows_cpu, "specs.WindowsCPUResources", {"count"}, {"shares"}, {"maximum"},
              {"affinity", &windows_cpu_affinity});
DEFINE_STRUCT(windows_storage, "specs.WindowsStorageResources", {"iops"}, {"bps"}, {"sandboxSize"});
DEFINE_STRUCT(windows_resources, "specs.WindowsResources", {"memory", &windows_memory}, {"cpu", &windows_cpu},
              {"storage", &windows_storage});
DEFINE_STRUCT(windows_hyperv, "specs.WindowsHyperV", {"utilityVMPath"});
DEFINE_STRUCT(windows_network, "specs.WindowsNetwork", {"endpointList"}, {"allowUnqualifiedDNSQuery"},
              {"DNSSearchList"}, {"networkSharedContainerName"}, {"networkNamespace"});
/* credentialSpec is an interface{}: any JSON, decoded into maps. */
DEFINE_STRUCT(windows, "specs.Windows", {"layerFolders"}, {"devices", &windows_device},
              {"resources", &windows_resources}, {"credentialSpec"}, {"servicing"}, {"ignoreFlushesDuringBoot"},
              {"hyperv", &windows_hyperv}, {"network", &windows_network});

DEFINE_STRUCT(vm_hypervisor, "specs.VMHypervisor", {"path"}, {"parameters"});
DEFINE_STRUCT(vm_kernel, "specs.VMKernel", {"path"}, {"parameters"}, {"initrd"});
DEFINE_STRUCT(vm_image, "specs.VMImage", {"path"}, {"format"});
DEFINE_STRUCT(vm_iomems, "specs.IOMems", {"firstGFN"}, {"firstMFN"}, {"nrMFNs"});
DEFINE_STRUCT(vm_hwconfig, "specs.HWConfig", {"deviceTree"}, {"vcpus"}, {"memory"}, {"dtdevs"}, {"iomems", &vm_iomems},
              {"irqs"});
DEFINE_STRUCT(vm, "specs.VM", {"hypervisor", &vm_hypervisor}, {"kernel", &vm_kernel}, {"image", &vm_image},
              {"hwconfig", &vm_hwconfig});

/* runtime-spec 1.2 and 1.3 */
DEFINE_STRUCT(zos_namespace, "specs.ZOSNamespace", {"type"}, {"path"});
DEFINE_STRUCT(zos, "specs.ZOS", {"namespaces", &zos_namespace});
DEFINE_STRUCT(freebsd_device, "specs.FreeBSDDevice", {"path"}, {"mode"});
DEFINE_STRUCT(freebsd_jail_allow, "specs.FreeBSDJailAllow", {"setHostname"}, {"rawSockets"}, {"chflags"}, {"mount"},
              {"quotas"}, {"socketAf"}, {"mlock"}, {"reservedPorts"}, {"suser"});
DEFINE_STRUCT(freebsd_jail, "specs.FreeBSDJail", {"parent"}, {"host"}, {"ip4"}, {"ip4Addr"}, {"ip6"}, {"ip6Addr"},
              {"vnet"}, {"interface"}, {"vnetInterfaces"}, {"sysvmsg"}, {"sysvsem"}, {"sysvshm"}, {"enforceStatfs"},
              {"allow", &freebsd_jail_allow});
DEFINE_STRUCT(freebsd, "specs.FreeBSD", {"devices", &freebsd_device}, {"jail", &freebsd_jail});

/* --- the document ------------------------------------------------------------ */

/* domainname: runtime-spec 1.1; zos, freebsd: 1.2 and 1.3 */
FIELDS(spec, {"ociVersion"}, {"process", &schema_process}, {"root", &root}, {"hostname"}, {"domainname"},
       {"mounts", &mount}, {"hooks", &hooks}, {"annotations", &string_map}, {"linux", &linux_}, {"solaris", &solaris},
       {"windows", &windows}, {"vm", &vm}, {"zos", &zos}, {"freebsd", &freebsd});
const struct schema schema_spec = STRUCT_OF(spec, "specs.Spec");

/* --- Go's field matching ------------------------------------------------------- */

/* The non-ASCII runes some Go release matches to an ASCII letter: U+212A
 * KELVIN SIGN and U+017F LATIN SMALL LETTER LONG S in every release (the
 * Unicode simple folding of k and s: Go 1.2 to 1.20's equalFoldRight, and
 * strings.EqualFold under GOEXPERIMENT=jsonv2), U+0130 and U+0131, the
 * dotted capital and dotless small i, in Go 1.21 and later (which fold with
 * unicode.ToUpper(unicode.ToLower(r))). No other rune of Unicode maps onto
 * ASCII under either. Returns the upper-case letter and the rune's length,
 * or 0. */
static size_t folding_rune(const unsigned char *s, size_t len, char *ret_letter)
{
        static const struct {
                unsigned char utf8[3];
                size_t len;
                char letter;
        } runes[] = {
                {{0xE2, 0x84, 0xAA}, 3, 'K'},
                {{0xC5, 0xBF}, 2, 'S'},
                {{0xC4, 0xB0}, 2, 'I'},
                {{0xC4, 0xB1}, 2, 'I'},
        };

        for (size_t i = 0; i < sizeof(runes) / sizeof(runes[0]); i++)
                if (len >= runes[i].len && memcmp(s, runes[i].utf8, runes[i].len) == 0) {
                        *ret_letter = runes[i].letter;
                        return runes[i].len;
                }
        return 0;
}

static bool ascii_letter(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool go_key_folds_onto(const char *key, size_t keylen, const char *name)
{
        const unsigned char *k = (const unsigned char *)key;
        size_t i = 0;

        for (const char *n = name; *n; n++) {
                char letter;
                size_t l;

                if (i >= keylen)
                        return false;
                if (k[i] < 0x80) {
                        /* Only letters fold; digits and punctuation match
                         * themselves in every release. */
                        if (k[i] != (unsigned char)*n && !(ascii_letter(*n) && (k[i] | 0x20) == (*n | 0x20)))
                                return false;
                        i++;
                        continue;
                }
                if (!(l = folding_rune(k + i, keylen - i, &letter)) || letter != (*n & ~0x20))
                        return false;
                i += l;
        }
        return i == keylen;
}

const struct schema_field *schema_field_exact(const struct schema *s, const char *key, size_t keylen)
{
        if (s->kind != SCHEMA_STRUCT)
                return NULL;
        for (const struct schema_field *f = s->fields; f->name; f++)
                if (keylen && f->name[0] == key[0] && strlen(f->name) == keylen && memcmp(f->name, key, keylen) == 0)
                        return f;
        return NULL;
}

const struct schema_field *schema_field_folded(const struct schema *s, const char *key, size_t keylen)
{
        if (s->kind != SCHEMA_STRUCT)
                return NULL;
        for (const struct schema_field *f = s->fields; f->name; f++)
                if (go_key_folds_onto(key, keylen, f->name))
                        return f;
        return NULL;
}
