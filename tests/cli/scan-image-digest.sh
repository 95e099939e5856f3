#!/usr/bin/env bash
# asan-too
# capscope scan checks every blob it reads from an OCI layout (or an OCI
# archive) against the digest that names it, as containerd's content store
# does: a layer, config or manifest whose bytes were changed after the
# image was written is refused with one error naming the blob and the hash
# its bytes have; nothing is predicted (seventeenth pass, part K).
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/scan-image-lib.sh"
for t in tar gzip sha256sum jq; do
  command -v $t >/dev/null || skip_all "needs $t"
done
tap_tmpdir
cd "$T" || exit 1


mkdir -p l0/usr l1/usr
printf 'one' >l0/usr/evil && chmod 4755 l0/usr/evil
printf 'one' >l1/usr/evil && chmod 4755 l1/usr/evil
printf 'two' >l1/usr/evil2 && chmod 4755 l1/usr/evil2
tar --format=posix --numeric-owner --sort=name -C l0 -cf l0.tar .
tar --format=posix --numeric-owner --sort=name -C l1 -cf l1.tar .
mkconfig cfg.json root '["/usr/evil"]' null "$(sha l0.tar)"
mkconfig cfg2.json toor '["/usr/evil"]' null "$(sha l0.tar)" # cfg.json's size

for comp in none gzip; do
  rm -rf good && mkoci good cfg.json $comp l0.tar
  scan good
  is "$?" 0 "$comp: an unaltered layout: exit 0"
  is "$(finds)" 1 "$comp: …its one set-uid file found"

  # The layer's blob replaced by another layer's bytes (a second set-uid
  # file): plain, of the same size (the hash tells); gzip'd, of another.
  rm -rf alt && cp -r good alt
  if [ $comp = gzip ]; then gzip -n -c l1.tar >"$(blob alt 0)"; else cp l1.tar "$(blob alt 0)"; fi
  scan alt
  is "$?" 2 "$comp: a layer blob altered: refused"
  if [ $comp = none ]; then
    like "$(cat "$T/err")" "layer 0 \\(blobs/sha256/[0-9a-f]+.*: its bytes hash to sha256:$(sha "$(blob alt 0)"), not to sha256:$(sha "$(blob good 0)")" \
      "$comp: …the blob, its digest and the bytes' hash named"
  else
    like "$(cat "$T/err")" "layer 0 \\(blobs/sha256/[0-9a-f]+.*: $(stat -c %s "$(blob alt 0)") bytes, where its descriptor's size says $(stat -c %s "$(blob good 0)")" \
      "$comp: …the blob and both sizes named"
  fi
  is "$(finds)" 0 "$comp: …nothing predicted"

  # Bytes after the tar's end (no tar reader reads them) change the digest too.
  rm -rf tail && cp -r good tail
  if [ $comp = gzip ]; then
    gzip -n -c <(cat l0.tar; head -c 4096 /dev/zero) >"$(blob tail 0)"
  else
    head -c 4096 /dev/zero >>"$(blob tail 0)"
  fi
  scan tail
  is "$?" 2 "$comp: bytes added after the layer's tar end: refused"
  like "$(cat "$T/err")" "$(stat -c %s "$(blob tail 0)") bytes, where its descriptor's size says $(stat -c %s "$(blob good 0)")" \
    "$comp: …the sizes named"
done

rm -rf good && mkoci good cfg.json gzip l0.tar

# The config blob altered (another User): refused before it is read.
rm -rf cfgalt && cp -r good cfgalt && cp cfg2.json "$(cfgblob cfgalt)"
scan cfgalt
is "$?" 2 "a config blob altered: refused"
like "$(cat "$T/err")" "blobs/sha256/[0-9a-f]+.*: its bytes hash to sha256:$(sha cfg2.json), not to sha256:$(sha cfg.json)" \
  "…the config blob and its bytes' hash named"
is "$(finds)" 0 "…nothing predicted"

# The manifest blob altered (schemaVersion 3: the same size), and one
# space more (another size).
rm -rf manalt && cp -r good manalt && m=$(manblob manalt) && sed -i 's/"schemaVersion":2/"schemaVersion":3/' "$m"
scan manalt
is "$?" 2 "a manifest blob altered: refused"
like "$(cat "$T/err")" "blobs/sha256/[0-9a-f]+.*: its bytes hash to sha256:$(sha "$m"), not to sha256:$(basename "$m")" "…named"
rm -rf manalt && cp -r good manalt && m=$(manblob manalt) && printf ' ' >>"$m"
scan manalt
is "$?" 2 "a manifest blob a byte longer: refused"
like "$(cat "$T/err")" "$(stat -c %s "$m") bytes, where its descriptor's size says $(($(stat -c %s "$m") - 1))" "…both sizes named"

# A descriptor whose size lies about a blob its digest names rightly.
for what in layer config; do
  if [ $what = layer ]; then f='.layers[0].size'; else f='.config.size'; fi
  rm -rf "size-$what" && cp -r good "size-$what" && remanifest "size-$what" "$f += 1"
  scan "size-$what"
  is "$?" 2 "the $what's descriptor a byte over its blob's size: refused"
  like "$(cat "$T/err")" "bytes, where its descriptor's size says" "…why named"
done
# A size of 0 containerd does not check ("size > 0 &&" in its writer's Commit).
rm -rf size0 && cp -r good size0 && remanifest size0 '.layers[0].size = 0'
scan size0
is "$?" 0 "a layer descriptor of size 0: read, as containerd reads it"

# A layer descriptor's mediaType: containerd unpacks only layer diffs
# (DiffCompression: "unrecognised mediatype" for any other, or none), with
# any "+" suffix after the type; capscope refuses the others, not reads
# them by their bytes (seventeenth pass, integrator).
for c in "config|.layers[0].mediaType = \"application/vnd.oci.image.config.v1+json\"|2" \
  "none|del(.layers[0].mediaType)|2" \
  "intoto|.layers[0].mediaType = \"application/vnd.in-toto+json\"|2" \
  "prefix|.layers[0].mediaType = \"application/vnd.oci.image.layer.v1.tarball\"|2" \
  "docker|.layers[0].mediaType = \"application/vnd.docker.image.rootfs.diff.tar.gzip\"|0" \
  "nondist|.layers[0].mediaType = \"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip\"|0"; do
  IFS='|' read -r name filter want <<<"$c"
  rm -rf "mt-$name" && cp -r good "mt-$name" && remanifest "mt-$name" "$filter"
  scan "mt-$name"
  is "$?" "$want" "layer mediaType $name: exit $want"
  if [ "$want" = 2 ]; then
    like "$(cat "$T/err")" "containerd refuses the image .unrecognised mediatype." "…why named"
  fi
done

# Digests capscope cannot check: another algorithm, upper-case hex.
for c in "sha512|is not sha256" "SHA256|not sha256" "upper|64 lower-case hex"; do
  name=${c%%|*} want=${c#*|}
  rm -rf "$name" && cp -r good "$name"
  d=$(sha "$(blob good 0)")
  case $name in
    sha512) nd="sha512:$d$d"; mkdir -p "$name/blobs/sha512"; cp "$(blob good 0)" "$name/blobs/sha512/$d$d" ;;
    SHA256) nd="sha+256:$d"; mkdir -p "$name/blobs/sha+256"; cp "$(blob good 0)" "$name/blobs/sha+256/$d" ;;
    upper) nd="sha256:${d^^}"; cp "$(blob good 0)" "$name/blobs/sha256/${d^^}" ;;
  esac
  m=$(manblob "$name")
  sed "s/sha256:$d/$nd/" "$m" >"$name/m.tmp"
  nm=$(sha "$name/m.tmp"); mv "$name/m.tmp" "$name/blobs/sha256/$nm"
  jq -c --arg d "sha256:$nm" --argjson s "$(stat -c %s "$name/blobs/sha256/$nm")" \
    '.manifests[0].digest = $d | .manifests[0].size = $s' "$name/index.json" >"$name/i.tmp" &&
    mv "$name/i.tmp" "$name/index.json"
  scan "$name"
  is "$?" 2 "a layer digest '$name': refused"
  like "$(cat "$T/err")" "$want" "$name: …why named"
done

# An OCI archive (the layout in a tar): its layer read from the archive.
rm -rf alt && cp -r good alt && gzip -n -c l1.tar >"$(blob alt 0)" && tar -C alt -cf alt.tar .
tar -C good -cf good.tar .
scan good.tar
is "$?" 0 "an unaltered OCI archive: exit 0"
scan alt.tar
is "$?" 2 "an OCI archive whose layer was altered: refused"
like "$(cat "$T/err")" "$(stat -c %s "$(blob alt 0)") bytes, where its descriptor's size says" "…its size named"

# docker archives: docker load checks each layer's uncompressed bytes
# against its diff_id in the config (moby image/tarexport/load.go).
mkconfig dcfg.json root '["/usr/evil"]' null "$(sha l0.tar)"
mkdocker d-good.tar dcfg.json l0.tar
scan d-good.tar
is "$?" 0 "docker: an unaltered archive: exit 0"
is "$(finds)" 1 "docker: …its set-uid file found"
dk() { # NAME CMD: d-good.tar extracted, CMD run in it, archived as NAME.tar
  rm -rf "$1" && mkdir "$1" && tar -C "$1" -xf d-good.tar && (cd "$1" && eval "$2") &&
    tar -C "$1" -cf "$1.tar" .
}
lay=$(sha l0.tar)/layer.tar
dk d-alt "cp ../l1.tar $lay"
scan d-alt.tar
is "$?" 2 "docker: a layer altered: refused"
like "$(cat "$T/err")" "layer 0 .*: its uncompressed bytes hash to sha256:$(sha l1.tar), not to sha256:$(sha l0.tar)" \
  "docker: …the layer, its diff_id and the bytes' hash named"
is "$(finds)" 0 "docker: …nothing predicted"
dk d-gz "gzip -n -c ../l0.tar >$lay"
scan d-gz.tar
is "$?" 0 "docker: a gzip'd layer whose uncompressed bytes are its diff_id's: read"
dk d-gzalt "gzip -n -c ../l1.tar >$lay"
scan d-gzalt.tar
is "$?" 2 "docker: a gzip'd layer altered: refused"
like "$(cat "$T/err")" "uncompressed bytes hash to sha256:$(sha l1.tar)" "docker: …its uncompressed hash named"
dk d-tail "head -c 4096 /dev/zero >>$lay"
scan d-tail.tar
is "$?" 2 "docker: bytes added after the layer's tar end: refused"
dk d-two "jq -c '.rootfs.diff_ids += .rootfs.diff_ids' $(sha dcfg.json).json >c && mv c $(sha dcfg.json).json"
scan d-two.tar
is "$?" 2 "docker: two diff_ids for one layer: refused"
like "$(cat "$T/err")" "2 diff_ids for 1 layers" "docker: …the counts named"
dk d-none "jq -c 'del(.rootfs)' $(sha dcfg.json).json >c && mv c $(sha dcfg.json).json"
scan d-none.tar
is "$?" 2 "docker: a config without rootfs.diff_ids: refused"
like "$(cat "$T/err")" "needs rootfs.diff_ids" "docker: …why named"
dk d-512 "jq -c '.rootfs.diff_ids = [\"sha512:\" + (\"0\" * 128)]' $(sha dcfg.json).json >c && mv c $(sha dcfg.json).json"
scan d-512.tar
is "$?" 2 "docker: a sha512 diff_id: refused"
like "$(cat "$T/err")" "is not sha256" "docker: …why named"
dk d-nocfg "jq -c '.[0] |= del(.Config)' manifest.json >m && mv m manifest.json"
scan d-nocfg.tar
is "$?" 2 "docker: a manifest without Config: refused (its layers cannot be checked)"
like "$(cat "$T/err")" "names no Config" "docker: …why named"

done_testing
