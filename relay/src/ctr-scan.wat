;; Strict JSON scanner for relay/src/ctr-parse.ts (assembled by `npm run build:ctr-scan` into ctr-scan-wasm.ts).
;;
;; It accepts exactly the texts JSON.parse accepts (RFC 8259: whitespace is space, tab, LF and CR only; strings
;; hold no raw character below U+0020; escapes are \" \\ \/ \b \f \n \r \t and \u with four hex digits, lone
;; surrogates included; numbers -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; any nesting depth; nothing but
;; whitespace after the value), and builds nothing: it reports where each member of a top-level object is.
;;
;; Input: the text's UTF-8 bytes at [0, n) followed by one 0 byte at n. A 0 byte is never valid JSON outside a
;; string and never valid inside one, so every loop stops at n without comparing against n, and a 16-byte load
;; that reads past n always finds that byte first.
;; A value inside a text that scan already accepted whole may be scanned on its own (start and n its first byte and
;; the byte after its last): no 0 byte follows it, but a valid value ends every loop inside it, so nothing past n is
;; used. ctr-parse.ts reads the members of a CTR's Attributes object that way.
;;
;; scan(start, n, out, maxMembers, stackAt, maxDepth) reads the text at [start, n) and returns
;;   >= 0  the text is a JSON object; that many members were written at `out`, 6 x i32 each:
;;         key start, key end (the bytes between the quotes), key has an escape (0/1),
;;         value start, value end (the value's bytes, no surrounding whitespace), value holds an escape (0/1)
;;   -1    not valid JSON
;;   -2    valid JSON, but not an object
;;   -3    deeper than maxDepth or more than maxMembers top-level members: not decided (the caller parses it)
;; The nesting stack is one byte per open container (1 object, 0 array) from stackAt.
;;
;; match(out, count, table, nameCount, slots) finds, among `count` member records at `out` (as scan wrote them),
;; the value of each of `nameCount` names, so that JavaScript reads the few members it wants without comparing every
;; key itself:
;;   table  the names, grouped by their length in UTF-8 bytes (all offsets in it are from `table`):
;;            i32 the longest name's length L
;;            (L + 1) x 2 i32: for each length from 0 to L, its first entry and how many entries have it
;;            nameCount x 2 i32 entries: where the name's bytes are, and the name's slot
;;            the names' bytes
;;   slots  nameCount x 3 i32, written here: value start (-1 when no member has the name), value end, value escaped;
;;          a name given by several members gets the last one's value, as JSON.parse keeps the last
;; It returns 0, or -1 as soon as a key holds an escape (its bytes are not the name's bytes: the caller compares).
;;
;; gather(list, count, dst) copies `count` parts of the text, each a [start, end) pair of i32 at list, side by side
;; from dst, in order, and returns their total length: ctr-parse.ts gathers the values it reads, so that one string
;; is made of them (not of the whole text).
;;
;; ascii(start, end) is 1 when every byte at [start, end) is below 0x80 (the text is ASCII), else 0.
(module
  (memory (export "memory") 1)

  ;; Index of the first byte at or after $i that is not JSON whitespace.
  (func $ws (param $i i32) (result i32)
    (local $c i32)
    (block $done
      (loop $next
        (local.set $c (i32.load8_u (local.get $i)))
        (br_if $done
          (i32.eqz
            (i32.or
              (i32.or (i32.eq (local.get $c) (i32.const 0x20)) (i32.eq (local.get $c) (i32.const 0x0a)))
              (i32.or (i32.eq (local.get $c) (i32.const 0x0d)) (i32.eq (local.get $c) (i32.const 0x09))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))

  (func $hex (param $c i32) (result i32)
    (i32.or
      (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10))
      (i32.lt_u (i32.sub (i32.or (local.get $c) (i32.const 0x20)) (i32.const 0x61)) (i32.const 6))))

  (func $digits (param $i i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (i32.sub (i32.load8_u (local.get $i)) (i32.const 0x30)) (i32.const 10)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))

  ;; A number starting at $i ('-' or a digit): the index after it, or -1.
  (func $num (param $i i32) (result i32)
    (local $c i32) (local $s i32)
    (block $invalid
      (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x2d))
        (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
      (local.set $c (i32.load8_u (local.get $i)))
      (if (i32.eq (local.get $c) (i32.const 0x30))
        (then (local.set $i (i32.add (local.get $i) (i32.const 1))))
        (else
          (br_if $invalid (i32.ge_u (i32.sub (local.get $c) (i32.const 0x31)) (i32.const 9)))
          (local.set $i (call $digits (i32.add (local.get $i) (i32.const 1))))))
      (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x2e))
        (then
          (local.set $s (i32.add (local.get $i) (i32.const 1)))
          (local.set $i (call $digits (local.get $s)))
          (br_if $invalid (i32.eq (local.get $i) (local.get $s)))))
      (if (i32.eq (i32.or (i32.load8_u (local.get $i)) (i32.const 0x20)) (i32.const 0x65))
        (then
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $c (i32.load8_u (local.get $i)))
          (if (i32.or (i32.eq (local.get $c) (i32.const 0x2b)) (i32.eq (local.get $c) (i32.const 0x2d)))
            (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
          (local.set $s (local.get $i))
          (local.set $i (call $digits (local.get $s)))
          (br_if $invalid (i32.eq (local.get $i) (local.get $s)))))
      (return (local.get $i)))
    ;; equivalent mutant: -1 → 0 (scan reads on from byte 0, where a key table starts with its longest name's
    ;; length: a 0 byte within four bytes, never valid JSON)
    (i32.const -1))

  (func $byteIs (param $i i32) (param $c i32) (result i32)
    (i32.eq (i32.load8_u (local.get $i)) (local.get $c)))

  ;; true, false or null at $i (its first byte is t, f or n): the index after it, or -1.
  (func $literal (param $i i32) (result i32)
    (local $c i32) (local $end i32) (local $spelled i32)
    (local.set $c (i32.load8_u (local.get $i)))
    (if (i32.eq (local.get $c) (i32.const 0x74))
      (then
        (local.set $end (i32.add (local.get $i) (i32.const 4)))
        (local.set $spelled
          (i32.and (call $byteIs (i32.add (local.get $i) (i32.const 1)) (i32.const 0x72))
            (i32.and (call $byteIs (i32.add (local.get $i) (i32.const 2)) (i32.const 0x75))
              (call $byteIs (i32.add (local.get $i) (i32.const 3)) (i32.const 0x65))))))
      (else
        (if (i32.eq (local.get $c) (i32.const 0x66))
          (then
            (local.set $end (i32.add (local.get $i) (i32.const 5)))
            (local.set $spelled
              (i32.and
                (i32.and (call $byteIs (i32.add (local.get $i) (i32.const 1)) (i32.const 0x61))
                  (call $byteIs (i32.add (local.get $i) (i32.const 2)) (i32.const 0x6c)))
                (i32.and (call $byteIs (i32.add (local.get $i) (i32.const 3)) (i32.const 0x73))
                  (call $byteIs (i32.add (local.get $i) (i32.const 4)) (i32.const 0x65))))))
          (else
            (local.set $end (i32.add (local.get $i) (i32.const 4)))
            (local.set $spelled
              (i32.and (call $byteIs (i32.add (local.get $i) (i32.const 1)) (i32.const 0x75))
                (i32.and (call $byteIs (i32.add (local.get $i) (i32.const 2)) (i32.const 0x6c))
                  (call $byteIs (i32.add (local.get $i) (i32.const 3)) (i32.const 0x6c)))))))))
    ;; equivalent mutant: -1 → 0 (scan reads on from byte 0, where a key table starts with its longest name's
    ;; length: a 0 byte within four bytes, never valid JSON)
    (select (local.get $end) (i32.const -1) (local.get $spelled)))

  (func (export "scan")
    (param $start i32) (param $n i32) (param $out i32) (param $maxMembers i32) (param $stackAt i32) (param $maxDepth i32)
    (result i32)
    (local $i i32) (local $c i32) (local $depth i32) (local $count i32) (local $record i32)
    (local $topObject i32)
    ;; what is expected at $i: 0 a member's key, 1 a value, 2 what follows a value
    (local $state i32)
    ;; set when a string holds a backslash; cleared before each top-level member's key and before its value
    (local $escaped i32)
    (local $v v128) (local $m i32) (local $b i32)
    (local.set $i (call $ws (local.get $start)))
    (local.set $state (i32.const 1))
    (block $finished
      (loop $main
        (if (i32.eqz (local.get $state))
          (then
            (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x22)) (then (return (i32.const -1))))
            (local.set $c (local.get $i))
            (if (i32.eq (local.get $depth) (i32.const 1)) (then (local.set $escaped (i32.const 0))))))
        ;; A key (its quote checked above) or a string value, its opening quote at $i: scanned here, in the one loop,
        ;; not by a call per string (a CTR is mostly short strings). $i ends after its closing quote.
        (if (i32.and (i32.lt_u (local.get $state) (i32.const 2)) (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x22)))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (block $closed
              (loop $next
                ;; 16 bytes at a time, up to the first quote, backslash or byte below 0x20
                (loop $vector
                  (local.set $v (v128.load align=1 (local.get $i)))
                  (local.set $m
                    (i8x16.bitmask
                      (v128.or
                        (v128.or
                          (i8x16.eq (local.get $v) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22))
                          (i8x16.eq (local.get $v) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c)))
                        (i8x16.lt_u (local.get $v) (v128.const i8x16 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20)))))
                  (if (i32.eqz (local.get $m))
                    (then (local.set $i (i32.add (local.get $i) (i32.const 16))) (br $vector)))
                  (local.set $i (i32.add (local.get $i) (i32.ctz (local.get $m)))))
                (local.set $b (i32.load8_u (local.get $i)))
                (if (i32.eq (local.get $b) (i32.const 0x22))
                  (then (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $closed)))
                ;; a control character (the 0 byte after the text included): not JSON
                (if (i32.ne (local.get $b) (i32.const 0x5c)) (then (return (i32.const -1))))
                ;; equivalent mutant: 1 → 2 (any value but 0 means escaped, to the records' readers and match)
                (local.set $escaped (i32.const 1))
                (local.set $b (i32.load8_u (i32.add (local.get $i) (i32.const 1))))
                (if (i32.eq (local.get $b) (i32.const 0x75))
                  (then
                    (if (i32.eqz (call $hex (i32.load8_u (i32.add (local.get $i) (i32.const 2))))) (then (return (i32.const -1))))
                    (if (i32.eqz (call $hex (i32.load8_u (i32.add (local.get $i) (i32.const 3))))) (then (return (i32.const -1))))
                    (if (i32.eqz (call $hex (i32.load8_u (i32.add (local.get $i) (i32.const 4))))) (then (return (i32.const -1))))
                    (if (i32.eqz (call $hex (i32.load8_u (i32.add (local.get $i) (i32.const 5))))) (then (return (i32.const -1))))
                    (local.set $i (i32.add (local.get $i) (i32.const 6)))
                    (br $next)))
                ;; " \ / b f n r t
                (if (i32.or
                      (i32.or
                        (i32.or (i32.eq (local.get $b) (i32.const 0x22)) (i32.eq (local.get $b) (i32.const 0x5c)))
                        (i32.or (i32.eq (local.get $b) (i32.const 0x2f)) (i32.eq (local.get $b) (i32.const 0x62))))
                      (i32.or
                        (i32.or (i32.eq (local.get $b) (i32.const 0x66)) (i32.eq (local.get $b) (i32.const 0x6e)))
                        (i32.or (i32.eq (local.get $b) (i32.const 0x72)) (i32.eq (local.get $b) (i32.const 0x74)))))
                  (then
                    (local.set $i (i32.add (local.get $i) (i32.const 2)))
                    (br $next))))
              (return (i32.const -1)))
            (if (i32.eqz (local.get $state))
              (then
                (if (i32.eq (local.get $depth) (i32.const 1))
                  (then
                    (if (i32.ge_u (local.get $count) (local.get $maxMembers)) (then (return (i32.const -3))))
                    (local.set $record (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 24))))
                    (i32.store (local.get $record) (i32.add (local.get $c) (i32.const 1)))
                    (i32.store offset=4 (local.get $record) (i32.sub (local.get $i) (i32.const 1)))
                    (i32.store offset=8 (local.get $record) (local.get $escaped))))
                ;; equivalent mutant: 0x20 → 33 (the whitespace guard also calls $ws for '!', which $ws leaves where it
                ;; is)
                (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20))
                  (then (local.set $i (call $ws (local.get $i)))))
                (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x3a)) (then (return (i32.const -1))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                ;; equivalent mutant: 0x20 → 33 (the whitespace guard also calls $ws for '!', which $ws leaves where it
                ;; is)
                (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20))
                  (then (local.set $i (call $ws (local.get $i)))))
                (if (i32.eq (local.get $depth) (i32.const 1))
                  (then
                    (i32.store offset=12 (local.get $record) (local.get $i))
                    ;; equivalent mutant: 0 → 1 (every top-level value marked escaped is made by JSON.parse: the same
                    ;; values, slower)
                    (local.set $escaped (i32.const 0))))
                (local.set $state (i32.const 1))
                (br $main)))
            ;; equivalent mutant: 2 → 3 (the states are compared only with 0, 1 and below 2: 3 is 2)
            (local.set $state (i32.const 2))))
        (if (i32.eq (local.get $state) (i32.const 1))
          (then
            (local.set $c (i32.load8_u (local.get $i)))
            (block $scalar
              (if (i32.or (i32.eq (local.get $c) (i32.const 0x7b)) (i32.eq (local.get $c) (i32.const 0x5b)))
                (then
                  (if (i32.eqz (local.get $depth))
                    (then (local.set $topObject (i32.eq (local.get $c) (i32.const 0x7b)))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  ;; equivalent mutant: 0x20 → 33 (the whitespace guard also calls $ws for '!', which $ws leaves where
                  ;; it is)
                  (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20))
                    (then (local.set $i (call $ws (local.get $i)))))
                  ;; an empty container: '}' or ']' is '{' or '[' plus 2
                  (if (i32.eq (i32.load8_u (local.get $i)) (i32.add (local.get $c) (i32.const 2)))
                    (then (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $scalar)))
                  (if (i32.ge_u (local.get $depth) (local.get $maxDepth)) (then (return (i32.const -3))))
                  (i32.store8 (i32.add (local.get $stackAt) (local.get $depth))
                    (i32.eq (local.get $c) (i32.const 0x7b)))
                  (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
                  (local.set $state (i32.ne (local.get $c) (i32.const 0x7b)))
                  (br $main)))
              (if (i32.or (i32.eq (local.get $c) (i32.const 0x2d))
                          ;; equivalent mutants: i32.lt_u → i32.le_u, 10 → 11 (':' would reach $num, which refuses it
                          ;; as a first digit)
                          (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10)))
                (then (local.set $i (call $num (local.get $i))) (br $scalar)))
              (if (i32.or (i32.eq (local.get $c) (i32.const 0x74))
                    (i32.or (i32.eq (local.get $c) (i32.const 0x66)) (i32.eq (local.get $c) (i32.const 0x6e))))
                (then (local.set $i (call $literal (local.get $i))) (br $scalar)))
              (return (i32.const -1)))
            ;; equivalent mutants: i32.lt_s → i32.le_s, 0 → 1 (no value ends at byte 0: the key tables come first)
            (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const -1))))
            ;; equivalent mutant: 2 → 3 (the states are compared only with 0, 1 and below 2: 3 is 2)
            (local.set $state (i32.const 2))))
        ;; a value ended at $i, inside the container at depth - 1 (or it was the whole text)
        (br_if $finished (i32.eqz (local.get $depth)))
        (if (i32.eq (local.get $depth) (i32.const 1))
          (then
            (if (local.get $topObject)
              (then
                (local.set $record (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 24))))
                (i32.store offset=16 (local.get $record) (local.get $i))
                (i32.store offset=20 (local.get $record) (local.get $escaped))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))))))
        ;; equivalent mutant: 0x20 → 33 (the whitespace guard also calls $ws for '!', which $ws leaves where it is)
        (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20))
          (then (local.set $i (call $ws (local.get $i)))))
        (local.set $c (i32.load8_u (local.get $i)))
        (if (i32.eq (local.get $c) (i32.const 0x2c))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            ;; equivalent mutant: 0x20 → 33 (the whitespace guard also calls $ws for '!', which $ws leaves where it is)
            (if (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20))
              (then (local.set $i (call $ws (local.get $i)))))
            ;; in an object a key follows, in an array a value
            (local.set $state
              (i32.eqz (i32.load8_u (i32.add (local.get $stackAt) (i32.sub (local.get $depth) (i32.const 1))))))
            (br $main)))
        (if (i32.ne (local.get $c)
              (select (i32.const 0x7d) (i32.const 0x5d)
                (i32.load8_u (i32.add (local.get $stackAt) (i32.sub (local.get $depth) (i32.const 1))))))
          (then (return (i32.const -1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
        ;; the container just closed is itself a value that ended
        (br $main)))
    ;; nothing but whitespace up to n; a value scanned on its own (see scan's header) ends exactly at n
    (if (i32.and (i32.ne (local.get $i) (local.get $n)) (i32.ne (call $ws (local.get $i)) (local.get $n)))
      (then (return (i32.const -1))))
    (select (local.get $count) (i32.const -2) (local.get $topObject)))

  (func (export "match")
    (param $out i32) (param $count i32) (param $table i32) (param $nameCount i32) (param $slots i32) (result i32)
    (local $j i32) (local $record i32) (local $end i32) (local $key i32) (local $length i32) (local $bucket i32)
    (local $entry i32) (local $last i32) (local $name i32) (local $k i32) (local $slot i32)
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 24))))
    (block $cleared
      (loop $clear
        ;; equivalent mutant: i32.ge_u → i32.gt_u (clears one slot more, in the slots' room, which no name reads)
        (br_if $cleared (i32.ge_u (local.get $j) (local.get $nameCount)))
        (i32.store (i32.add (local.get $slots) (i32.mul (local.get $j) (i32.const 12))) (i32.const -1))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $clear)))
    (local.set $record (local.get $out))
    (block $done
      (loop $member
        (br_if $done (i32.ge_u (local.get $record) (local.get $end)))
        (if (i32.load offset=8 (local.get $record)) (then (return (i32.const -1))))
        (local.set $key (i32.load (local.get $record)))
        (local.set $length (i32.sub (i32.load offset=4 (local.get $record)) (local.get $key)))
        (block $compared
          ;; longer than every name: none can match
          (br_if $compared (i32.gt_u (local.get $length) (i32.load (local.get $table))))
          (local.set $bucket (i32.add (i32.add (local.get $table) (i32.const 4)) (i32.shl (local.get $length) (i32.const 3))))
          (local.set $entry
            (i32.add (i32.add (i32.add (local.get $table) (i32.const 12)) (i32.shl (i32.load (local.get $table)) (i32.const 3)))
              (i32.shl (i32.load (local.get $bucket)) (i32.const 3))))
          (local.set $last (i32.add (local.get $entry) (i32.shl (i32.load offset=4 (local.get $bucket)) (i32.const 3))))
          (loop $name
            (br_if $compared (i32.ge_u (local.get $entry) (local.get $last)))
            (local.set $name (i32.add (local.get $table) (i32.load (local.get $entry))))
            (local.set $k (i32.const 0))
            ;; 8 bytes at a time while 8 are left, then byte by byte
            (block $tailBytes
              (loop $chunk
                ;; equivalent mutants: i32.gt_u → i32.ge_u, i32.add → i32.sub, 8 → 9 (fewer 8-byte steps or none: the
                ;; byte
                ;; loop compares the rest, with the same outcome)
                (br_if $tailBytes (i32.gt_u (i32.add (local.get $k) (i32.const 8)) (local.get $length)))
                (if (i64.ne (i64.load align=1 (i32.add (local.get $key) (local.get $k)))
                      (i64.load align=1 (i32.add (local.get $name) (local.get $k))))
                  (then
                    (local.set $entry (i32.add (local.get $entry) (i32.const 8)))
                    (br $name)))
                (local.set $k (i32.add (local.get $k) (i32.const 8)))
                (br $chunk)))
            (block $differ
              (loop $byte
                (if (i32.eq (local.get $k) (local.get $length))
                  (then
                    ;; the same bytes: names are unique, so no other name can match this key
                    (local.set $slot (i32.add (local.get $slots) (i32.mul (i32.load offset=4 (local.get $entry)) (i32.const 12))))
                    (i32.store (local.get $slot) (i32.load offset=12 (local.get $record)))
                    (i32.store offset=4 (local.get $slot) (i32.load offset=16 (local.get $record)))
                    (i32.store offset=8 (local.get $slot) (i32.load offset=20 (local.get $record)))
                    (br $compared)))
                (br_if $differ
                  (i32.ne (i32.load8_u (i32.add (local.get $key) (local.get $k)))
                    (i32.load8_u (i32.add (local.get $name) (local.get $k)))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $byte)))
            (local.set $entry (i32.add (local.get $entry) (i32.const 8)))
            (br $name)))
        (local.set $record (i32.add (local.get $record) (i32.const 24)))
        (br $member)))
    (i32.const 0))

  (func (export "gather") (param $list i32) (param $count i32) (param $dst i32) (result i32)
    (local $at i32) (local $end i32) (local $from i32) (local $length i32) (local $copied i32)
    (local.set $at (local.get $dst))
    (local.set $end (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $list) (local.get $end)))
        (local.set $from (i32.load (local.get $list)))
        (local.set $length (i32.sub (i32.load offset=4 (local.get $list)) (local.get $from)))
        ;; 16 bytes at a time (memory.copy is a call out per part, and most parts are short): the last block may
        ;; run up to 15 bytes past the part, which the next part overwrites (the caller leaves 16 bytes of room)
        (local.set $copied (i32.const 0))
        (loop $block
          (v128.store align=1 (i32.add (local.get $at) (local.get $copied))
            (v128.load align=1 (i32.add (local.get $from) (local.get $copied))))
          (local.set $copied (i32.add (local.get $copied) (i32.const 16)))
          ;; equivalent mutant: i32.lt_s → i32.le_s (one more 16-byte block, past the value into the room left for it)
          (br_if $block (i32.lt_s (local.get $copied) (local.get $length))))
        (local.set $at (i32.add (local.get $at) (local.get $length)))
        (local.set $list (i32.add (local.get $list) (i32.const 8)))
        (br $next)))
    ;; equivalent mutant: i32.sub → i32.add (a longer gathered string: its values are read by their offsets, from
    ;; its start)
    (i32.sub (local.get $at) (local.get $dst)))

  (func (export "ascii") (param $i i32) (param $end i32) (result i32)
    (local $seen v128)
    (block $tail
      (loop $vector
        ;; equivalent mutants: i32.gt_u → i32.ge_u, 16 → 17 (a last block of 16 bytes read byte by byte: the same
        ;; answer)
        (br_if $tail (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
        (local.set $seen (v128.or (local.get $seen) (v128.load align=1 (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vector)))
    (block $done
      (loop $byte
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (if (i32.ge_u (i32.load8_u (local.get $i)) (i32.const 0x80)) (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $byte)))
    (i32.eqz (i8x16.bitmask (local.get $seen))))
)
