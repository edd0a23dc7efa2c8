"""list[Sentence] → list[Claim]. (Being written.)"""
