echo "ok 1 - placeholder"
