# sports.lex — words that name sports.
#
#   team_sport   team sports whose results and standings list clubs by name. A document whose
#                first line (the title, or the slug line of a wire story such as
#                "SOCCER - ...") names one is a team-sport document: there, a name in a results
#                table or one that is both a club and a city is read as the club.
#
# Sources: general knowledge of the wiretag authors.
@class team_sport
soccer
football
baseball
basketball
cricket
rugby
hockey
volleyball
handball
netball
lacrosse
softball
futsal
polo
NFL
NBA
NHL
MLB
