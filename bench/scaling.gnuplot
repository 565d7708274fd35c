# Charts of bench_scaling's CSV (scripts/bench): search and summary time against vault size.
# gnuplot -e "csv='results/scaling.csv'; outdir='docs/images'" bench/scaling.gnuplot
set datafile separator ","
set terminal pngcairo size 900,560 font "DejaVu Sans,11" noenhanced
set logscale x 10
set logscale y 10
set grid
set key top left
set xlabel "notes in the vault"
set format x "%.0s%c"

set output outdir."/scaling-search.png"
set title "Full-text search, 20 typical queries (median and 95th percentile)"
set ylabel "ms per query"
plot csv using 1:2 skip 1 with linespoints lw 2 title "Backchannel p50 (SQLCipher)", \
     csv using 1:3 skip 1 with linespoints lw 2 dt 2 title "Backchannel p95", \
     csv using 1:4 skip 1 with linespoints lw 2 title "plain SQLite FTS5 p50", \
     csv using 1:5 skip 1 with linespoints lw 2 dt 2 title "plain SQLite FTS5 p95"

set output outdir."/scaling-summary.png"
set title "Summary of the largest meeting (at most 100,000 notes per meeting), participants audience"
set ylabel "ms per summary"
plot csv using 1:7 skip 1 with linespoints lw 2 title "summary (median of 3)"
