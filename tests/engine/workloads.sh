#!/bin/bash
# Real workloads for the engine suite: root file systems built from Debian's
# own packages with debootstrap, each with the command, user and volumes of
# the matching official image. Sourced by test-workloads-*.sh; run by hand:
#
#   bash tests/engine/workloads.sh build [NAME...]   builds (or reuses) them
#   bash tests/engine/workloads.sh list              the names
#
# A rootfs is kept as a tarball under $RH_WORKLOAD_CACHE, named by a hash
# of everything that goes into it (suite, packages, setup, this builder), so
# a second run reuses it and a changed definition rebuilds only that image.
# Downloaded packages are kept there too (archives/), outside the images. The build runs in a private
# mount namespace (unshare): /proc and /dev are mounted for the package
# scripts and vanish with it; nothing is mounted on the host.
#
# Each image is a function wl_NAME that sets:
#   WL_PACKAGES    Debian packages to install (no recommends)
#   WL_CHANGES     docker import --change lines (CMD, USER, ...)
# and may define wl_NAME_setup, run in the chroot after the install.
# The probes that show an image serves live in the test scripts.

RH_WORKLOAD_CACHE=${RH_WORKLOAD_CACHE:-/var/cache/runc-harden-tests}
WL_SUITE=bookworm
WL_MIRROR=${WL_MIRROR:-http://deb.debian.org/debian}
WL_BUILDER_VERSION=1
WL_NAMES=(shell nginx postgres apache2 cron redis memcached haproxy python java)

wl_log() { echo "workloads: $*" >&2; }

# ---------------------------------------------------------------- images

wl_shell() {
        WL_PACKAGES=()
        WL_CHANGES=('CMD ["sh", "-c", "while :; do echo shell-loop-alive; sleep 1; done"]')
}

# nginx (official image: CMD nginx -g 'daemon off;', logs linked to the
# container's stdout and stderr; docker import cannot set STOPSIGNAL).
wl_nginx() {
        WL_PACKAGES=(nginx)
        WL_CHANGES=('CMD ["nginx", "-g", "daemon off;"]' 'EXPOSE 80')
}
wl_nginx_setup() {
        ln -sf /dev/stdout /var/log/nginx/access.log
        ln -sf /dev/stderr /var/log/nginx/error.log
}

# postgres:15 (official image: an entrypoint that prepares the data
# directory and /var/run/postgresql as root, then runs the server as
# postgres; PGDATA a volume; no cluster made at install time).
wl_postgres() {
        WL_PACKAGES=(postgresql-15)
        WL_CHANGES=('ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["postgres"]'
                'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
                'ENV PGDATA=/var/lib/postgresql/data' 'VOLUME /var/lib/postgresql/data'
                'EXPOSE 5432')
}
wl_postgres_presetup() {
        mkdir -p /etc/postgresql-common/createcluster.d
        echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/no-main-cluster.conf
}
wl_postgres_setup() {
        mkdir -p /var/run/postgresql /var/lib/postgresql/data
        chown -R postgres:postgres /var/run/postgresql /var/lib/postgresql
        chmod 2777 /var/run/postgresql
        cat >/usr/local/bin/docker-entrypoint.sh <<'EOF'
#!/bin/sh
# A minimal stand-in for the official image's entrypoint: same steps, fewer
# options (trust authentication, no init scripts).
set -e
if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
        mkdir -p "$PGDATA" /var/run/postgresql
        chown -R postgres:postgres "$PGDATA" /var/run/postgresql
        chmod 700 "$PGDATA"
        exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
        initdb --username=postgres --auth=trust -D "$PGDATA" >/dev/null
        echo "host all all all trust" >>"$PGDATA/pg_hba.conf"
        echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
fi
exec "$@"
EOF
        chmod 755 /usr/local/bin/docker-entrypoint.sh
}

# apache2 as in php:apache, the official image built on Debian's apache2:
# run, lock and log directories owned by www-data, logs linked to the
# container's output, apache2-foreground.
wl_apache2() {
        WL_PACKAGES=(apache2)
        WL_CHANGES=('CMD ["apache2-foreground"]' 'WORKDIR /var/www/html' 'EXPOSE 80')
}
wl_apache2_setup() {
        local d
        for d in /var/lock/apache2 /var/run/apache2 /var/log/apache2; do
                rm -rf "$d"
                mkdir -p "$d"
                chown www-data:www-data "$d"
                chmod 777 "$d"
        done
        ln -sfT /dev/stderr /var/log/apache2/error.log
        ln -sfT /dev/stdout /var/log/apache2/access.log
        ln -sfT /dev/stdout /var/log/apache2/other_vhosts_access.log
        cat >/usr/local/bin/apache2-foreground <<'EOF'
#!/bin/sh
set -e
. /etc/apache2/envvars
mkdir -p "$APACHE_RUN_DIR"
rm -f "$APACHE_PID_FILE"
exec apache2 -DFOREGROUND "$@"
EOF
        chmod 755 /usr/local/bin/apache2-foreground
}

# cron in the foreground; an @reboot job writes to the container's output,
# which shows that cron started and ran a job.
wl_cron() {
        WL_PACKAGES=(cron)
        WL_CHANGES=('CMD ["cron", "-f"]')
}
wl_cron_setup() {
        echo '@reboot root echo cron-reboot-job-ran >/proc/1/fd/1' >/etc/cron.d/rh-probe
        chmod 644 /etc/cron.d/rh-probe
}

# redis:7 (official image: WORKDIR and VOLUME /data, an entrypoint that
# hands /data to the redis user and drops to it).
wl_redis() {
        WL_PACKAGES=(redis-server)
        WL_CHANGES=('ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["redis-server"]' 'WORKDIR /data' 'VOLUME /data'
                'EXPOSE 6379')
}
wl_redis_setup() {
        mkdir -p /data
        chown redis:redis /data
        cat >/usr/local/bin/docker-entrypoint.sh <<'EOF'
#!/bin/sh
set -e
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
        find . \! -user redis -exec chown redis '{}' +
        exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi
exec "$@"
EOF
        chmod 755 /usr/local/bin/docker-entrypoint.sh
}

# memcached (official image: USER memcache).
wl_memcached() {
        WL_PACKAGES=(memcached)
        WL_CHANGES=('USER memcache' 'CMD ["memcached"]' 'EXPOSE 11211')
}

# haproxy (official image: USER haproxy, WORKDIR /var/lib/haproxy, the
# configuration under /usr/local/etc/haproxy, which users supply: here a
# frontend that answers by itself).
wl_haproxy() {
        WL_PACKAGES=(haproxy)
        WL_CHANGES=('USER haproxy' 'WORKDIR /var/lib/haproxy'
                'CMD ["haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]' 'EXPOSE 8080')
}
wl_haproxy_setup() {
        mkdir -p /usr/local/etc/haproxy
        cat >/usr/local/etc/haproxy/haproxy.cfg <<'EOF'
global
        log stdout format raw local0
defaults
        mode http
        timeout connect 5s
        timeout client 30s
        timeout server 30s
frontend web
        bind :8080
        http-request return status 200 content-type text/plain string "haproxy-ok"
EOF
}

# python3 -m http.server, serving a directory.
wl_python() {
        WL_PACKAGES=(python3)
        WL_CHANGES=('WORKDIR /srv' 'CMD ["python3", "-m", "http.server", "8000"]' 'EXPOSE 8000')
}
wl_python_setup() {
        mkdir -p /srv
        echo python-http-server-ok >/srv/index.html
}

# OpenJDK 17: a small HTTP server that answers with the JVM's heap limit
# (what the JVM derived from the container's memory limit).
wl_java() {
        WL_PACKAGES=(openjdk-17-jdk-headless)
        WL_CHANGES=('WORKDIR /srv' 'CMD ["java", "-cp", "/srv", "Hello"]' 'EXPOSE 8080')
}
wl_java_setup() {
        mkdir -p /srv
        cat >/srv/Hello.java <<'EOF'
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;

public class Hello {
        public static void main(String[] args) throws Exception {
                HttpServer s = HttpServer.create(new InetSocketAddress(8080), 0);
                s.createContext("/", x -> {
                        byte[] b = ("java-ok maxheap=" + Runtime.getRuntime().maxMemory() + "\n").getBytes();
                        x.sendResponseHeaders(200, b.length);
                        try (OutputStream o = x.getResponseBody()) {
                                o.write(b);
                        }
                });
                s.start();
                System.out.println("listening on 8080");
        }
}
EOF
        javac -d /srv /srv/Hello.java
}

# ---------------------------------------------------------------- building

wl_define() {
        WL_PACKAGES=()
        WL_CHANGES=()
        "wl_$1"
}

# wl_key NAME: the hash that names NAME's tarball.
wl_key() {
        {
                echo "$WL_BUILDER_VERSION $WL_SUITE $WL_MIRROR"
                declare -f "wl_$1" "wl_${1}_presetup" "wl_${1}_setup" 2>/dev/null
                declare -f wl_build_one wl_base
        } | sha256sum | cut -c1-16
}

# wl_tar NAME: the path of NAME's tarball (built or not).
wl_tar() {
        echo "$RH_WORKLOAD_CACHE/$1-$(wl_key "$1").tar"
}

# wl_base: the debootstrap minbase tarball, built once.
wl_base() {
        local tar=$RH_WORKLOAD_CACHE/base-$WL_SUITE-minbase.tar dir
        if [ ! -s "$tar" ]; then
                dir=$(mktemp -d "$RH_WORKLOAD_CACHE/build.XXXXXX")
                wl_log "debootstrap --variant=minbase $WL_SUITE"
                debootstrap --variant=minbase "$WL_SUITE" "$dir/root" "$WL_MIRROR" >"$dir/debootstrap.log" 2>&1 || {
                        tail -20 "$dir/debootstrap.log" >&2
                        rm -rf --one-file-system "$dir"
                        return 1
                }
                tar -C "$dir/root" --numeric-owner -cf "$tar.new" .
                mv "$tar.new" "$tar"
                rm -rf --one-file-system "$dir"
        fi
        echo "$tar"
}

# wl_chroot_script NAME: what runs inside the build's mount namespace: the
# package install in a chroot, with /proc, /dev and the package cache
# mounted (private to the namespace).
wl_chroot_script() {
        cat <<'EOF'
set -euo pipefail
root=$1 archives=$2 name=$3
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
# debootstrap leaves its packages behind; the image does not need them
rm -f "$root"/var/cache/apt/archives/*.deb
mount --bind "$archives" "$root/var/cache/apt/archives"
cp /etc/resolv.conf "$root/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
chroot "$root" /bin/bash -euo pipefail /wl-build.sh
umount "$root/var/cache/apt/archives"
rm -f "$root"/var/cache/apt/*.bin "$root/usr/sbin/policy-rc.d" "$root/wl-build.sh" "$root/etc/resolv.conf"
touch "$root/etc/resolv.conf"
EOF
}

# wl_build_one NAME: builds NAME's tarball unless it is there.
wl_build_one() {
        local name=$1 tar dir base start
        tar=$(wl_tar "$name")
        [ -s "$tar" ] && return 0
        start=$(date +%s)
        base=$(wl_base) || return 1
        wl_define "$name"
        dir=$(mktemp -d "$RH_WORKLOAD_CACHE/build.XXXXXX")
        mkdir "$dir/root"
        tar -C "$dir/root" -xf "$base"
        {
                echo 'export DEBIAN_FRONTEND=noninteractive LC_ALL=C'
                declare -f "wl_${name}_presetup" "wl_${name}_setup" 2>/dev/null || true
                if declare -F "wl_${name}_presetup" >/dev/null; then echo "wl_${name}_presetup"; fi
                if [ ${#WL_PACKAGES[@]} -gt 0 ]; then
                        echo 'apt-get update -qq'
                        echo "apt-get install -y -qq --no-install-recommends ${WL_PACKAGES[*]} >/dev/null"
                fi
                if declare -F "wl_${name}_setup" >/dev/null; then echo "wl_${name}_setup"; fi
                echo 'rm -rf /var/lib/apt/lists/*'
        } >"$dir/root/wl-build.sh"
        mkdir -p "$RH_WORKLOAD_CACHE/archives/partial"
        wl_log "building $name (${WL_PACKAGES[*]:-no packages})"
        if ! unshare --mount --propagation private bash -c "$(wl_chroot_script)" wl "$dir/root" \
                "$RH_WORKLOAD_CACHE/archives" "$name" >"$dir/build.log" 2>&1; then
                tail -30 "$dir/build.log" >&2
                rm -rf --one-file-system "$dir"
                return 1
        fi
        tar -C "$dir/root" --numeric-owner -cf "$tar.new" .
        mv "$tar.new" "$tar"
        rm -rf --one-file-system "$dir"
        wl_log "built $name in $(($(date +%s) - start)) s: $(du -h "$tar" | cut -f1)"
}

# wl_build NAME...: builds what is missing, one builder at a time (a lock
# in the cache directory); old tarballs of the same images are removed.
wl_build() {
        local n keep
        mkdir -p "$RH_WORKLOAD_CACHE"
        (
                flock 9
                for n in "$@"; do
                        wl_build_one "$n" || exit 1
                        keep=$(basename "$(wl_tar "$n")")
                        find "$RH_WORKLOAD_CACHE" -maxdepth 1 -name "$n-*.tar" ! -name "$keep" -delete
                done
        ) 9>"$RH_WORKLOAD_CACHE/.lock"
}

# wl_import_changes NAME: the --change arguments for docker/podman import.
wl_import_changes() {
        local c
        wl_define "$1"
        for c in "${WL_CHANGES[@]}"; do
                printf '%s\0' --change "$c"
        done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
        set -euo pipefail
        case "${1:-}" in
        build)
                shift
                [ $# -gt 0 ] || set -- "${WL_NAMES[@]}"
                wl_build "$@"
                for n in "$@"; do wl_tar "$n"; done
                ;;
        list) printf '%s\n' "${WL_NAMES[@]}" ;;
        *)
                echo "usage: $0 build [NAME...] | list" >&2
                exit 2
                ;;
        esac
fi
